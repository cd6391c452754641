"""python -m tests.oidc_provider PORT: migrate, load users and the monev client from
OIDC_TEST_HOME/seed.json, then serve on 127.0.0.1:PORT until killed."""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_provider.settings")

import django

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.servers.basehttp import WSGIServer, run  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from oauth2_provider.models import Application  # noqa: E402

from tests.oidc_provider.settings import HOME  # noqa: E402


def seed() -> None:
    data = json.loads((HOME / "seed.json").read_text())
    for spec in data["users"]:
        user = User.objects.create_user(spec["username"], spec["email"], spec["password"])
        user.first_name = spec.get("given_name", "")
        user.save()
        for name in spec["groups"]:
            user.groups.add(Group.objects.get_or_create(name=name)[0])
    client = data["client"]
    Application.objects.create(
        name="monev",
        client_id=client["id"],
        client_secret=client["secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=client["redirect_uri"],
        post_logout_redirect_uris=client["post_logout_redirect_uri"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )


if __name__ == "__main__":
    call_command("migrate", verbosity=0)
    seed()
    print("ready", flush=True)
    run(
        "127.0.0.1", int(sys.argv[1]), get_wsgi_application(), threading=True, server_cls=WSGIServer
    )
