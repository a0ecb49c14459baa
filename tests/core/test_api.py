import json
import subprocess
import sys

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_schema_validates():
    """``spectacular --validate --fail-on-warn`` passes: the schema is valid OpenAPI 3."""
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--format",
            "openapi-json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    assert schema["openapi"].startswith("3.")
    me = schema["paths"]["/api/v1/me/"]["get"]["responses"]
    assert "401" in me
    assert me["401"]["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/Error"
    assert "400" in schema["paths"]["/api/v1/organizations/"]["post"]["responses"]


def test_the_docs_are_served_locally(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in body
    assert "cdn" not in body.lower()


def test_unknown_api_paths_answer_json_404(api_client, user):
    api_client.force_authenticate(user)
    response = api_client.get("/api/v1/organizations/999999/")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Not found."}


def test_wrong_method_is_a_json_405(api_client, user):
    api_client.force_authenticate(user)
    response = api_client.put("/api/v1/me/", {}, format="json")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_malformed_json_is_a_parse_error(api_client, user):
    api_client.force_authenticate(user)
    response = api_client.post("/api/v1/organizations/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
