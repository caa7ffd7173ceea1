"""Shared by the memoranda page tests: the drafting form's fields, as a browser would post them."""
from app.memoranda.services import MemorandumInput

SECTIONS = ("title", "preamble", "subject", "term", "final_provisions")
PARTY_FIELDS = ("organization_name", "sector", "bin", "signatory_name", "signatory_email", "signatory_position",
                "authority", "obligations_kk", "obligations_ru", "sign_order")


def form_data(data: MemorandumInput, slots: int = 4) -> dict:
    """The memorandum form filled with `data`; party slots beyond its parties are posted empty."""
    fields = {f"{section}_{lang}": getattr(data, f"{section}_{lang}") or "" for section in SECTIONS
              for lang in ("kk", "ru")}
    fields.update(level=data.level, region_id=str(data.region_id or ""), city=data.city,
                  dated=data.dated.isoformat() if data.dated else "", project_id=str(data.project_id or ""))
    if data.signing_ordered:
        fields["signing_ordered"] = "y"
    for index in range(max(slots, len(data.parties))):
        party = data.parties[index] if index < len(data.parties) else None
        for name in PARTY_FIELDS:
            value = getattr(party, name) if party is not None else None
            fields[f"parties-{index}-{name}"] = "" if value is None else str(value)
    return fields


def text(response) -> str:
    return response.get_data(as_text=True)


def switch_to(client, login, user):
    """Log out whoever is logged in, then log in as `user` (the login page ignores a logged-in visitor)."""
    client.post("/auth/logout")
    return login(user)
