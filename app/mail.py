"""Email to delegates and signatories, in the recipient's language."""
import logging

from flask import current_app, render_template
from flask_babel import force_locale
from flask_mail import Message, email_dispatched

from app.extensions import mail

log = logging.getLogger("asar.mail")


def send(to: str, subject_template: str, body_template: str, language: str, **context) -> Message:
    """Render subject and body in `language` and send; a mail failure never undoes the caller's work."""
    with force_locale(language if language in current_app.config["LANGUAGES"] else "ru"):
        subject = render_template(subject_template, **context).strip()
        body = render_template(body_template, **context)
    message = Message(subject=subject, recipients=[to], body=body)
    try:
        mail.send(message)
    except Exception:  # SMTP down at the venue must not lose a registration
        log.exception("could not send mail to %s", to)
    return message


def log_captured_mail(app) -> None:
    """In development (no MAIL_SERVER) print each message instead of sending it."""

    def _print(sender, message, **extra):
        if sender.config.get("MAIL_SUPPRESS_SEND") and not sender.testing:
            log.warning("mail (not sent: no MAIL_SERVER)\nTo: %s\nSubject: %s\n\n%s",
                        ", ".join(message.recipients), message.subject, message.body)

    email_dispatched.connect(_print, app, weak=False)
