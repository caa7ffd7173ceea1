"""Memoranda through the API: the registry, one memorandum, its PDF, signing, and verification by anyone."""
import hashlib
from io import BytesIO

import pytest

from app.memoranda import services as memoranda
from app.models import ForumStatus, Memorandum, MemorandumStatus, Signature
from tests.factories import (PASSWORD, make_forum, make_memorandum, make_organizer, make_user, memorandum_input,
                             region, sign_as)
from tests.helpers.api import assert_contract_error, bearer

TITLE_KK = "Саңырау жастарды жұмыспен қамту туралы ынтымақтастық меморандумы"
TITLE_RU = "Меморандум о сотрудничестве в трудоустройстве глухой молодёжи"




@pytest.fixture
def forum(app):
    return make_forum(slug="asar")


@pytest.fixture
def organizer(forum):
    return make_organizer(forum)


def published(forum, organizer, **overrides):
    memorandum = make_memorandum(forum, organizer, open_it=True, **overrides)
    for party in memorandum.parties:
        sign_as(memorandum, party)
    return memoranda.publish(memorandum, organizer)


def signatory(memorandum, index=0):
    return memorandum.parties[index].user


def sign_path(memorandum) -> str:
    return f"/api/v1/memoranda/{memorandum.id}/signatures"


def sign_body(memorandum, index=0, **overrides) -> dict:
    body = {"agree": True, "full_name": memorandum.parties[index].signatory_name, "password": PASSWORD,
            "sha256": memorandum.sha256}
    body.update(overrides)
    return body


# ---------------------------------------------------------------- the registry


class TestRegistry:
    def test_anyone_sees_the_published_ones_with_their_parties(self, client, forum, organizer):
        memo = published(forum, organizer)
        make_memorandum(forum, organizer)                 # a draft
        make_memorandum(forum, organizer, open_it=True)   # open for signing
        other = make_forum()
        published(other, make_organizer(other))             # another forum's

        response = client.get("/api/v1/forums/asar/memoranda", headers={"Accept-Language": "kk"})
        assert response.status_code == 200
        [item] = response.get_json()
        assert item["id"] == memo.id and item["public_id"] == memo.public_id
        assert item["number"] == memo.number and item["number"].startswith("ASAR-")
        assert item["title"] == TITLE_KK and item["title_ru"] == TITLE_RU
        assert item["status"] == "published" and item["level"] == "regional" and item["city"] == "Атырау"
        assert [(p["organization"], p["sector"], p["signatory"], p["position"], p["signed"])
                for p in item["parties"]] == [
            ("Атырау облыстық саңыраулар қоғамы", "ngo", "Гүлнар Ыбырайқызы", "Төрайым", True),
            ("ТОО «АқсайГазСервис»", "business", "Дмитрий Петров", "Директор", True)]
        assert item["verify_url"].endswith(f"/verify/{memo.public_id}")
        assert item["pdf_url"].endswith(f"/api/v1/memoranda/{memo.id}.pdf")
        assert item["published_at"] and item["signed_at"]
        assert "email" not in item["parties"][0]

    def test_the_title_follows_the_readers_language(self, client, forum, organizer):
        published(forum, organizer)
        [item] = client.get("/api/v1/forums/asar/memoranda", headers={"Accept-Language": "ru"}).get_json()
        assert item["title"] == TITLE_RU

    def test_organizers_see_every_status_and_filter_by_it(self, client, forum, organizer):
        memo = published(forum, organizer)
        draft = make_memorandum(forum, organizer)
        opened = make_memorandum(forum, organizer, open_it=True)
        cancelled = memoranda.cancel(make_memorandum(forum, organizer), organizer, "Тараптар келіспеді")

        def ids(query="", who=organizer):
            response = client.get(f"/api/v1/forums/asar/memoranda{query}", headers=bearer(who))
            assert response.status_code == 200
            return [m["id"] for m in response.get_json()]

        assert ids() == [memo.id, draft.id, opened.id, cancelled.id]
        assert ids("?status=draft") == [draft.id]
        assert ids("?status=open") == [opened.id]
        assert ids("?status=cancelled") == [cancelled.id]
        assert ids("?status=nonsense") == ids()                        # ignored, never refused
        assert ids(who=make_user()) == [memo.id]                        # any other token: the public registry
        assert ids("?status=draft", who=make_user()) == [memo.id]

    def test_filters_by_level_sector_and_region(self, client, forum, organizer):
        regional = published(forum, organizer, region_id=region("KZ-23").id)
        national = published(forum, organizer, level="national", parties=3,
                             title_ru="Республиканский меморандум", title_kk="Республикалық меморандум")

        def ids(query, who=None):
            response = client.get(f"/api/v1/forums/asar/memoranda{query}", headers=bearer(who) if who else {})
            assert response.status_code == 200
            return [m["id"] for m in response.get_json()]

        for who in (None, organizer):
            assert ids("?level=national", who) == [national.id]
            assert ids("?level=regional", who) == [regional.id]
            assert ids("?sector=state", who) == [national.id]       # the akimat is the third party
            assert ids("?sector=business", who) == [regional.id, national.id]
            assert ids("?sector=media", who) == []
            assert ids(f"?region={region('KZ-23').id}", who) == [regional.id]
            # Nonsense filters are ignored, as on the registry page: never a 4xx.
            assert ids("?level=x&sector=y&region=z", who) == [regional.id, national.id]
            assert ids(f"?region={10**30}", who) == [regional.id, national.id]

    def test_unknown_or_draft_forum(self, client, organizer):
        assert_contract_error(client.get("/api/v1/forums/nope/memoranda"), 404, "not_found")
        assert_contract_error(client.get("/api/v1/forums/as%00ar/memoranda"), 400)  # no NUL reaches the database
        draft_forum = make_forum(slug="draft", status=ForumStatus.draft, organizer=organizer)
        assert_contract_error(client.get("/api/v1/forums/draft/memoranda"), 404)
        assert_contract_error(client.get("/api/v1/forums/draft/memoranda", headers=bearer(make_user())), 404)
        make_memorandum(draft_forum, organizer)
        response = client.get("/api/v1/forums/draft/memoranda", headers=bearer(organizer))
        assert response.status_code == 200 and [m["status"] for m in response.get_json()] == ["draft"]


# ---------------------------------------------------------------- one memorandum


class TestDetail:
    def test_a_published_one_for_anyone_with_texts_obligations_and_signatures(self, client, forum, organizer):
        memo = published(forum, organizer)
        body = client.get(f"/api/v1/memoranda/{memo.id}").get_json()
        assert body["number"] == memo.number and body["status"] == "published"
        assert body["languages"] == ["kk", "ru"] and body["version"] == 1
        assert body["texts"]["kk"]["title"] == TITLE_KK
        assert body["texts"]["ru"]["term"] == "Меморандум действует один год со дня подписания."
        assert set(body["texts"]["ru"]) == {"title", "preamble", "subject", "term", "final_provisions"}
        assert body["parties"][1]["obligations"] == {"kk": "ТОО «АқсайГазСервис» міндеттемелері.",
                                                     "ru": "Обязательства: ТОО «АқсайГазСервис»."}
        assert body["parties"][0]["email"] is None                 # addresses: organizers only
        assert body["sha256"] == memo.sha256 and len(body["sha256"]) == 64
        assert body["pdf_sha256"] == memo.sealed_sha256
        assert [s["party"] for s in body["signatures"]] == [p.organization.name for p in memo.parties]
        assert all(s["id"].startswith("S-") and s["signed_at"].endswith("+00:00") for s in body["signatures"])
        assert body["waiting_for"] == [] and body["you"] is None

        mine = client.get(f"/api/v1/memoranda/{memo.id}", headers=bearer(organizer)).get_json()
        assert mine["parties"][0]["email"] == "signatory1@example.kz"

    def test_an_open_one_only_for_its_signatories_and_organizers(self, client, forum, organizer):
        memo = make_memorandum(forum, organizer, open_it=True)
        sign_as(memo, memo.parties[0])
        path = f"/api/v1/memoranda/{memo.id}"
        assert_contract_error(client.get(path), 404, "not_found")
        assert_contract_error(client.get(path, headers=bearer(make_user())), 404, "not_found")
        assert client.get(path, headers=bearer(organizer)).status_code == 200

        first = client.get(path, headers=bearer(signatory(memo, 0))).get_json()
        assert first["you"] == {"party": "Атырау облыстық саңыраулар қоғамы", "signed": True, "may_sign_now": False}
        second = client.get(path, headers=bearer(signatory(memo, 1))).get_json()
        assert second["you"] == {"party": "ТОО «АқсайГазСервис»", "signed": False, "may_sign_now": True}
        assert second["waiting_for"] == ["ТОО «АқсайГазСервис»"] and len(second["signatures"]) == 1
        assert second["status"] == "open" and second["sha256"] == memo.sha256 and second["pdf_sha256"] is None

    @pytest.mark.parametrize("memorandum_id", ["999", str(2**31), str(10**30)])
    def test_no_such_memorandum(self, client, organizer, memorandum_id):
        assert_contract_error(client.get(f"/api/v1/memoranda/{memorandum_id}", headers=bearer(organizer)), 404)
        assert_contract_error(client.get(f"/api/v1/memoranda/{memorandum_id}.pdf", headers=bearer(organizer)), 404)

    def test_not_a_number_is_a_json_404(self, client):
        assert_contract_error(client.get("/api/v1/memoranda/abc"), 404)
        assert_contract_error(client.get("/api/v1/memoranda/-1.pdf"), 404)


# ---------------------------------------------------------------- the PDF


class TestPdf:
    def test_before_publication_signatories_and_organizers_only(self, client, forum, organizer):
        memo = make_memorandum(forum, organizer, open_it=True)
        path = f"/api/v1/memoranda/{memo.id}.pdf"
        for who in (signatory(memo, 0), signatory(memo, 1), organizer):
            response = client.get(path, headers=bearer(who))
            assert response.status_code == 200 and response.mimetype == "application/pdf"
            assert response.data.startswith(b"%PDF")
            assert f"memorandum-{memo.number.replace('/', '-')}.pdf" in response.headers["Content-Disposition"]
        # Anyone else: nothing, not even that it exists.
        assert_contract_error(client.get(path), 404, "not_found")
        assert_contract_error(client.get(path, headers=bearer(make_user())), 404, "not_found")
        draft = make_memorandum(forum, organizer)
        assert_contract_error(client.get(f"/api/v1/memoranda/{draft.id}.pdf"), 404)
        assert client.get(f"/api/v1/memoranda/{draft.id}.pdf", headers=bearer(organizer)).status_code == 200

    def test_once_published_anyone_gets_the_sealed_file(self, client, forum, organizer):
        memo = published(forum, organizer)
        response = client.get(f"/api/v1/memoranda/{memo.id}.pdf")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert hashlib.sha256(response.data).hexdigest() == memo.sealed_sha256

    def test_signed_but_not_yet_published_is_still_private(self, client, forum, organizer):
        memo = make_memorandum(forum, organizer, open_it=True)
        for party in memo.parties:
            sign_as(memo, party)
        assert memo.status == MemorandumStatus.signed
        assert_contract_error(client.get(f"/api/v1/memoranda/{memo.id}.pdf"), 404)
        own = client.get(f"/api/v1/memoranda/{memo.id}.pdf", headers=bearer(signatory(memo, 1)))
        assert own.status_code == 200 and hashlib.sha256(own.data).hexdigest() == memo.sealed_sha256


# ---------------------------------------------------------------- verification


class TestVerify:
    def test_the_record_of_a_published_memorandum(self, client, forum, organizer):
        memo = published(forum, organizer, parties=3)
        response = client.get(f"/api/v1/verify/{memo.public_id}", headers={"Accept-Language": "ru"})
        assert response.status_code == 200
        body = response.get_json()
        assert body["number"] == memo.number and body["public_id"] == memo.public_id
        assert body["status"] == "published" and body["signed"] is True and body["forum"] == "asar"
        assert body["title"] == TITLE_RU and body["title_kk"] == TITLE_KK
        assert body["parties"][2] == {"organization": "Атырау облысының әкімдігі", "sector": "state",
                                      "signatory": "Серік Шәріпов", "position": "Әкімнің орынбасары"}
        assert [(s["party"], s["signatory"]) for s in body["signatures"]] == [
            (p.organization.name, p.signatory_name) for p in memo.parties]
        stored = {s.public_id: s for s in memo.signatures}
        for item in body["signatures"]:
            assert item["signed_at"] == stored[item["id"]].signed_at.isoformat() and item["signed_at"].endswith(
                "+00:00")
        assert body["sha256"] == memo.sha256 and body["pdf_sha256"] == memo.sealed_sha256
        assert body["version"] == 1 and body["dated"] == "2026-12-15" and body["level"] == "regional"
        assert body["verify_url"].endswith(f"/verify/{memo.public_id}")
        assert body["signed_at"] and body["published_at"] and body["cancelled_at"] is None
        assert client.get(f"/api/v1/verify/{memo.public_id.lower()}").get_json()["number"] == memo.number

    def test_a_draft_reveals_only_that_it_is_an_unsigned_draft(self, client, forum, organizer):
        draft = make_memorandum(forum, organizer)
        body = client.get(f"/api/v1/verify/{draft.public_id}").get_json()
        assert body["status"] == "draft" and body["signed"] is False and body["number"] == draft.number
        assert body["title"] is None and body["title_ru"] is None and body["parties"] == []
        assert body["signatures"] == [] and body["sha256"] is None and body["pdf_sha256"] is None
        assert "Саңырау" not in response_text(client, f"/api/v1/verify/{draft.public_id}")

    def test_an_open_one_shows_the_current_versions_signatures_only(self, client, db, forum, organizer):
        memo = make_memorandum(forum, organizer, open_it=True)
        sign_as(memo, memo.parties[0])
        body = client.get(f"/api/v1/verify/{memo.public_id}").get_json()
        assert body["status"] == "open" and body["signed"] is False and body["pdf_sha256"] is None
        assert [s["party"] for s in body["signatures"]] == ["Атырау облыстық саңыраулар қоғамы"]

        memoranda.update(memo, organizer, memorandum_input(term_ru="Меморандум действует два года."))
        body = client.get(f"/api/v1/verify/{memo.public_id}").get_json()
        assert body["version"] == 2 and body["signatures"] == [] and body["sha256"] == memo.sha256
        assert db.session.query(Signature).count() == 1  # the voided one is kept, just not shown

    def test_a_nul_in_the_code_is_a_json_400(self, client):
        assert_contract_error(client.get("/api/v1/verify/%00"), 400)

    @pytest.mark.parametrize("code", ["NOSUCHCODE", "x" * 300, "ÄÖ-Ü"])
    def test_unknown_code_is_a_json_404(self, client, code):
        assert_contract_error(client.get(f"/api/v1/verify/{code}"), 404, "not_found")
        assert_contract_error(client.post(f"/api/v1/verify/{code}/file", data=b"%PDF-1.7",
                                          content_type="application/pdf"), 404)


def response_text(client, path):
    return client.get(path).get_data(as_text=True)


class TestFileCheck:
    @pytest.fixture
    def memo(self, forum, organizer):
        return published(forum, organizer)

    def check(self, client, memo, data, *, raw=False):
        path = f"/api/v1/verify/{memo.public_id}/file"
        if raw:
            return client.post(path, data=data, content_type="application/pdf")
        return client.post(path, data={"file": (BytesIO(data), "memorandum.pdf")}, content_type="multipart/form-data")

    def test_the_sealed_file_is_genuine_uploaded_either_way(self, client, memo):
        sealed = client.get(f"/api/v1/memoranda/{memo.id}.pdf").data
        for raw in (False, True):
            response = self.check(client, memo, sealed, raw=raw)
            assert response.status_code == 200
            assert response.get_json() == {"result": "genuine", "sha256": memo.sealed_sha256,
                                           "number": memo.number, "status": "published"}

    def test_one_changed_byte_or_garbage_is_different(self, client, memo):
        sealed = bytearray(memo.sealed_pdf)
        sealed[len(sealed) // 2] ^= 0x01
        changed = self.check(client, memo, bytes(sealed)).get_json()
        assert changed["result"] == "different" and changed["sha256"] == hashlib.sha256(sealed).hexdigest()
        assert self.check(client, memo, b"not a pdf at all", raw=True).get_json()["result"] == "different"
        assert self.check(client, memo, memo.sealed_pdf + b"\n").get_json()["result"] == "different"

    def test_a_memorandum_not_signed_yet(self, client, forum, organizer):
        opened = make_memorandum(forum, organizer, open_it=True)
        body = self.check(client, opened, b"%PDF-1.7 whatever").get_json()
        assert body["result"] == "not_signed" and body["status"] == "open"

    def test_no_file_or_an_empty_one_is_a_422(self, client, memo):
        path = f"/api/v1/verify/{memo.public_id}/file"
        assert_contract_error(client.post(path), 422)
        assert_contract_error(client.post(path, json={"file": "JVBERi0="}), 422)
        assert_contract_error(client.post(path, data={"other": (BytesIO(b"x"), "x.pdf")},
                                          content_type="multipart/form-data"), 422)
        assert_contract_error(self.check(client, memo, b""), 422)
        assert_contract_error(self.check(client, memo, b"", raw=True), 422)

    def test_too_large_is_a_json_413(self, client, app, memo):
        app.config["MAX_CONTENT_LENGTH"] = 1024
        assert_contract_error(self.check(client, memo, b"%PDF" + b"0" * 4096), 413)
        assert_contract_error(self.check(client, memo, b"%PDF" + b"0" * 4096, raw=True), 413)


# ---------------------------------------------------------------- signing


class TestSign:
    @pytest.fixture
    def memo(self, forum, organizer):
        return make_memorandum(forum, organizer, open_it=True)

    def test_each_signatory_signs_and_the_last_seals_it(self, client, db, memo):
        first = client.post(sign_path(memo), headers={**bearer(signatory(memo, 0)), "User-Agent": "phone"},
                            json=sign_body(memo, 0))
        assert first.status_code == 201, first.get_json()
        body = first.get_json()
        assert body["id"].startswith("S-") and body["signed_at"].endswith("+00:00")
        assert body["party"] == "Атырау облыстық саңыраулар қоғамы" and body["signatory"] == "Гүлнар Ыбырайқызы"
        assert body["memorandum_status"] == "open" and body["memorandum_id"] == memo.id
        assert body["version"] == 1 and body["sha256"] == memo.sha256
        stored = db.session.scalar(db.select(Signature).where(Signature.public_id == body["id"]))
        assert stored.user_agent == "phone" and stored.ip == "127.0.0.1"

        # A signature always names the text it is given to: without the hash, nothing is signed.
        unnamed = client.post(sign_path(memo), headers=bearer(signatory(memo, 1)), json=sign_body(memo, 1, sha256=None))
        assert unnamed.status_code == 422 and unnamed.get_json()["error"]["code"] == "hash_missing"
        last = client.post(sign_path(memo), headers=bearer(signatory(memo, 1)), json=sign_body(memo, 1))
        assert last.status_code == 201 and last.get_json()["memorandum_status"] == "signed"
        memo = db.session.get(Memorandum, memo.id)
        assert memo.status == MemorandumStatus.signed and memo.sealed_sha256

    def test_no_token_is_401_even_with_a_bad_body(self, client, memo):
        assert_contract_error(client.post(sign_path(memo), data="nonsense", content_type="application/json"), 401)
        assert_contract_error(client.post(sign_path(memo), json=sign_body(memo)), 401)

    def test_who_may_not_sign(self, client, forum, organizer, memo):
        # A stranger cannot see an open memorandum at all; its organizer can, but signs for no party.
        assert_contract_error(client.post(sign_path(memo), headers=bearer(make_user()), json={}), 404)
        assert_contract_error(client.post(sign_path(memo), headers=bearer(organizer), json=sign_body(memo)), 403,
                              "forbidden")
        done = published(forum, organizer, title_ru="Другой меморандум", title_kk="Басқа меморандум")
        assert_contract_error(client.post(sign_path(done), headers=bearer(make_user()), json={"agree": True}), 403,
                              "forbidden")
        assert_contract_error(client.post("/api/v1/memoranda/999/signatures", headers=bearer(organizer), json={}),
                              404)
        assert_contract_error(client.post(f"/api/v1/memoranda/{10**30}/signatures", headers=bearer(organizer),
                                          json={}), 404)

    def test_already_signed(self, client, forum, organizer, memo):
        sign_as(memo, memo.parties[0])
        assert_contract_error(client.post(sign_path(memo), headers=bearer(signatory(memo, 0)),
                                          json=sign_body(memo, 0)), 409, "already_signed")
        done = published(forum, organizer, title_ru="Другой меморандум", title_kk="Басқа меморандум")
        assert_contract_error(client.post(sign_path(done), headers=bearer(signatory(done, 1)),
                                          json=sign_body(done, 1)), 409, "already_signed")

    def test_not_open(self, client, forum, organizer, count):
        draft = make_memorandum(forum, organizer)
        assert_contract_error(client.post(sign_path(draft), headers=bearer(signatory(draft)),
                                          json=sign_body(draft)), 409, "not_open")
        cancelled = memoranda.cancel(make_memorandum(forum, organizer, open_it=True, title_ru="Ещё один",
                                                     title_kk="Тағы бір"), organizer, "Тараптар келіспеді")
        assert_contract_error(client.post(sign_path(cancelled), headers=bearer(signatory(cancelled)),
                                          json=sign_body(cancelled)), 409, "not_open")
        assert count(Signature) == 0

    def test_outdated_when_the_text_changed_since_it_was_read(self, client, organizer, memo, count):
        read = memo.sha256
        memoranda.update(memo, organizer, memorandum_input(term_ru="Меморандум действует два года."))
        assert_contract_error(client.post(sign_path(memo), headers=bearer(signatory(memo)),
                                          json=sign_body(memo, sha256=read)), 409, "outdated")
        assert count(Signature) == 0

    def test_not_your_turn_with_a_signing_order(self, client, forum, organizer, count):
        ordered = make_memorandum(forum, organizer, open_it=True, ordered=True)
        assert_contract_error(client.post(sign_path(ordered), headers=bearer(signatory(ordered, 1)),
                                          json=sign_body(ordered, 1)), 409, "not_your_turn")
        assert client.post(sign_path(ordered), headers=bearer(signatory(ordered, 0)),
                           json=sign_body(ordered, 0)).status_code == 201
        assert count(Signature) == 1

    @pytest.mark.parametrize("overrides, field", [
        ({"agree": False}, "agree"),
        ({"agree": None}, None),
        ({"full_name": "Кто-то другой"}, "full_name"),
        ({"full_name": ""}, "full_name"),
        ({"password": "wrong-password"}, "password"),
        ({"password": ""}, "password"),
    ])
    def test_field_errors_are_422(self, client, memo, count, overrides, field):
        body = sign_body(memo)
        body.update(overrides)
        error = assert_contract_error(client.post(sign_path(memo), headers=bearer(signatory(memo)), json=body), 422)
        if field:
            assert error["details"]["field"] == field and error["code"] == "validation_error"
        assert count(Signature) == 0

    def test_the_name_matches_however_it_is_cased_and_spaced(self, client, memo):
        body = sign_body(memo, full_name="  гүлнар   ЫБЫРАЙҚЫЗЫ ")
        assert client.post(sign_path(memo), headers=bearer(signatory(memo)), json=body).status_code == 201

    @pytest.mark.parametrize("raw", ["not json", "[1, 2]", '"text"', '{"agree": true', '{"agree": "maybe"}',
                                     '{"agree": true, "password": 1e400}', '{"sha256": 123456789012345678901234567890}',
                                     '{"full_name": ["a"]}', '{"password": "' + "x" * 5000 + '"}', "null"])
    def test_odd_bodies_are_refused_never_a_500(self, client, memo, count, raw):
        response = client.post(sign_path(memo), headers={**bearer(signatory(memo)),
                                                         "Content-Type": "application/json"}, data=raw)
        assert response.status_code in (400, 409, 422), response.get_data(as_text=True)
        assert set(response.get_json()) == {"error"}
        assert count(Signature) == 0


def test_the_openapi_document_lists_the_memoranda(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert {"/api/v1/forums/{slug}/memoranda", "/api/v1/memoranda/{memorandum_id}",
            "/api/v1/memoranda/{memorandum_id}.pdf", "/api/v1/memoranda/{memorandum_id}/signatures",
            "/api/v1/verify/{public_id}", "/api/v1/verify/{public_id}/file"} <= set(spec["paths"])
    sign = spec["paths"]["/api/v1/memoranda/{memorandum_id}/signatures"]["post"]
    assert {"201", "401", "403", "404", "409", "422"} <= set(sign["responses"])
    assert sign["security"] == [{"bearerAuth": []}]
    assert "application/pdf" in spec["paths"]["/api/v1/memoranda/{memorandum_id}.pdf"]["get"]["responses"]["200"][
        "content"]
    upload = spec["paths"]["/api/v1/verify/{public_id}/file"]["post"]["requestBody"]["content"]
    assert {"multipart/form-data", "application/pdf"} <= set(upload)
    verification = spec["components"]["schemas"]["VerificationOut"]["properties"]
    assert {"number", "title", "status", "parties", "signatures", "sha256"} <= set(verification)
    registry = spec["paths"]["/api/v1/forums/{slug}/memoranda"]["get"]
    assert {p["name"] for p in registry["parameters"]} >= {"level", "sector", "region", "status"}
