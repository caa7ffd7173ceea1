"""The invitation to sign: the signatory proves they read mail at the invited address by opening the link,
so the link may also create their account, or give a passwordless account (made by a registration) its
first password. Signing itself asks for that password again."""
from app.auth import services as accounts
from app.extensions import db
from app.memoranda.services import accept_invitation
from app.models import Party, User


def account_for(party: Party) -> User | None:
    return accounts.find_user(party.signatory_email)


def needs_password(user: User | None) -> bool:
    return user is not None and not user.password_hash


def claim_account(party: Party, full_name: str, password: str, language: str) -> User:
    """Create the invited signatory's account (or set its first password) and bind it to the party, in one
    transaction. Raises AccountError (password policy, an account that already has a password) or
    MemorandumError (another account already signs for the party); the caller rolls back."""
    from flask_babel import gettext as _

    user = account_for(party)
    if user is None:
        user = accounts.create_user(party.signatory_email, password, full_name or party.signatory_name,
                                    language=language, commit=False)
        db.session.flush()
    elif needs_password(user):
        accounts.check_password_policy(password, email=user.email, full_name=full_name or user.full_name)
        user.set_password(password)
    else:
        raise accounts.AccountError(_("An account with this email already exists. Log in to continue."))
    accept_invitation(party, user)
    db.session.commit()  # accept_invitation commits only when it binds the party: keep the password either way
    return user
