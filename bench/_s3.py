"""The second storage mode of the benchmarks: the data store on a local S3-compatible server.

`local_s3()` starts `moto_server` (a dev dependency) on 127.0.0.1 and a free port, creates a
bucket and yields the settings of a monev process whose MONEV_DATA_URL is that bucket; the
server stops when the block ends.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ACCESS, SECRET, REGION = "monev-bench", "monev-bench-secret", "us-east-1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def local_s3() -> Iterator[dict[str, str]]:
    port = _free_port()
    endpoint = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(endpoint, timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        bucket = f"bench-{uuid.uuid4().hex[:8]}"
        client(endpoint).create_bucket(Bucket=bucket)
        yield {
            "MONEV_DATA_URL": f"s3://{bucket}/monev",
            "MONEV_S3_ENDPOINT": endpoint,
            "MONEV_S3_REGION": REGION,
            "MONEV_S3_ACCESS_KEY": ACCESS,
            "MONEV_S3_SECRET_KEY": SECRET,
        }
    finally:
        server.terminate()
        server.wait(timeout=10)


def client(endpoint: str):  # type: ignore[no-untyped-def]
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS,
        aws_secret_access_key=SECRET,
    )


def upload(env: dict[str, str], source: Path, name: str) -> str:
    """Put a local file into the bucket under the store's prefix; return its s3:// URI."""
    bucket, prefix = env["MONEV_DATA_URL"].removeprefix("s3://").split("/", 1)
    client(env["MONEV_S3_ENDPOINT"]).upload_file(str(source), bucket, f"{prefix}/{name}")
    return f"s3://{bucket}/{prefix}/{name}"
