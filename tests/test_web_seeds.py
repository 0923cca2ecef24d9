"""The web app over the real seed articles (../shared/seeds): every stored event is listed by
the API and its page shows each sentence that reports it, escaped, with a link to the article
where that sentence is marked. The seeds are ingested into SQLite and into PostgreSQL
(``seeds_db``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from conftest import ledger_records
from fastapi.testclient import TestClient
from markupsafe import escape

from foglight.web.app import create_app

KURSK_AIRFIELD = "4eb1fb12552ccecb"  # CNN's and WSWS's reports of 2022-12-06, merged


@pytest.fixture(scope="module")
def client(seeds_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(seeds_db)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def records(seeds_db: str) -> list[dict[str, Any]]:
    return ledger_records(seeds_db)


def test_api_lists_every_seed_event(client: TestClient, records: list[dict[str, Any]]) -> None:
    page = client.get("/api/events", params={"limit": 1000}).json()
    assert page["total"] == len(records) >= 12
    assert page["events"] == records
    assert client.get("/openapi.json").json()["info"]["title"] == "foglight"


def test_event_pages_show_each_mention_sentence(client: TestClient,
                                                records: list[dict[str, Any]]) -> None:
    for record in records:
        response = client.get(f"/events/{record['id']}")
        assert response.status_code == 200
        for mention in record["mentions"]:
            assert escape(mention["sentence"]) in response.text
        article = client.get(f"/articles/{record['mentions'][0]['article_id']}").text
        assert f'<mark id="m-{record["mentions"][0]["start"]}"' in article


def test_kursk_page_puts_cnn_beside_wsws(client: TestClient) -> None:
    html = client.get(f"/events/{KURSK_AIRFIELD}").text
    assert "cnn.com" in html and "wsws.org" in html
    assert "a Russian official" in html
    accounts = client.get(f"/api/events/{KURSK_AIRFIELD}/accounts").json()["accounts"]
    assert [a["outlet"] for a in accounts] == ["cnn.com", "wsws.org"]
