"""A real S3-compatible server for the tests: `moto_server` (from PyPI, installed by the dev
extras) on 127.0.0.1 and a free port, started once per test session and stopped at its end.
Each test that uses it gets a bucket of its own."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.processes import BIN, free_port, stop, wait_for_http

ACCESS_KEY = "monev-test"
SECRET_KEY = "monev-test-secret"
REGION = "us-east-1"


@dataclass(frozen=True)
class S3Server:
    endpoint: str

    def bucket(self) -> str:
        import boto3

        name = f"monev-{uuid.uuid4().hex[:12]}"
        client = boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )
        client.create_bucket(Bucket=name)
        return name

    def env(self, bucket: str, prefix: str = "monev") -> dict[str, str]:
        """The settings of a monev process whose data store is `bucket`."""
        return {
            "MONEV_DATA_URL": f"s3://{bucket}/{prefix}",
            "MONEV_S3_ENDPOINT": self.endpoint,
            "MONEV_S3_REGION": REGION,
            "MONEV_S3_ACCESS_KEY": ACCESS_KEY,
            "MONEV_S3_SECRET_KEY": SECRET_KEY,
        }


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - moto's server from our venv
        [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        endpoint = f"http://127.0.0.1:{port}"
        wait_for_http(endpoint, process, seconds=30)
        yield S3Server(endpoint)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        finally:
            stop(process)


@pytest.fixture
def s3_store(s3_server: S3Server, settings: Any) -> Iterator[S3Server]:
    """This test's data store is a fresh bucket on the session's S3 server."""
    for name, value in s3_server.env(s3_server.bucket()).items():
        setattr(settings, name, value)
    yield s3_server
