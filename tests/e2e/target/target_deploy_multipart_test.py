#!/usr/bin/env python3
"""`gust deploy` of a package over S3's multipart threshold against our own
local cloud (`gust cloud`): an app with 20 MiB of incompressible bytes linked
in, so its zip goes up in three 8 MiB parts with the deploy's ordinary
settings. The stored object's ETag is the multipart one computed here from
the zip's own parts, and the deployed function, run from that object, reads
every byte back.

usage: target_deploy_multipart_test.py GUST SOURCE_DIR WORK_DIR
"""
import hashlib
import json
import os
import random
import re
import shutil
import sys

import boto3

from target_harness import check, http, run_gust, start_cloud, stop_cloud, summary

GUST, SOURCE, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
BLOB_BYTES = 20 * 1024 * 1024
PART_BYTES = 8 * 1024 * 1024  # aws::S3Options' part size; the threshold is 16 MiB

MAIN_CPP = r'''// examples/hello with 20 MiB of random bytes linked in: a package too big for one PUT.
#include <gust/gust.hpp>

#include <cstdint>

__asm__(".section .rodata.blob,\"a\"\n.global gust_blob\ngust_blob:\n.incbin \"BLOB\"\n"
        ".global gust_blob_end\ngust_blob_end:\n.previous\n");
extern "C" const unsigned char gust_blob[];
extern "C" const unsigned char gust_blob_end[];

int main(int argc, char** argv) {
  gust::App app{"big"};

  app.get("/blob", [](const gust::Request&) {
    std::uint64_t sum = 0;
    for (const unsigned char* p = gust_blob; p != gust_blob_end; ++p) sum = sum * 31 + *p;
    return gust::Response::text(fmt::format("{} {}\n", gust_blob_end - gust_blob, sum));
  });

  return app.run(argc, argv);
}
'''


def multipart_etag(data, part):
    digests = b"".join(hashlib.md5(data[i:i + part]).digest() for i in range(0, len(data), part))
    return f'"{hashlib.md5(digests).hexdigest()}-{(len(data) + part - 1) // part}"'


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    app = os.path.join(WORK, "big")
    shutil.copytree(os.path.join(SOURCE, "examples", "hello"), app, ignore=shutil.ignore_patterns(".gust"))
    blob = random.Random(8).randbytes(BLOB_BYTES)
    with open(os.path.join(app, "blob.bin"), "wb") as f:
        f.write(blob)
    with open(os.path.join(app, "main.cpp"), "w") as f:
        f.write(MAIN_CPP.replace("BLOB", os.path.join(app, "blob.bin")))
    cmake_lists = os.path.join(app, "CMakeLists.txt")
    text = open(cmake_lists).read()
    check("gust_add_app(hello main.cpp)" in text, "examples/hello has the target the test renames")
    with open(cmake_lists, "w") as f:
        f.write(text.replace("gust_add_app(hello main.cpp)", "gust_add_app(big main.cpp)"))
    expected_sum = 0
    for b in blob:
        expected_sum = (expected_sum * 31 + b) & 0xFFFFFFFFFFFFFFFF

    cloud, url = start_cloud(GUST, os.path.join(WORK, "state"))
    s3 = boto3.client("s3", endpoint_url=url, region_name="us-east-1", aws_access_key_id="local", aws_secret_access_key="local")
    try:
        out = run_gust(GUST, url, WORK, "bootstrap")
        check(out.returncode == 0, "gust bootstrap", out.all)
        out = run_gust(GUST, url, WORK, "deploy", app, "--stage", "t")
        check(out.returncode == 0 and "deployed big-t (CREATE_COMPLETE)" in out.stdout, f"gust deploy ({out.seconds:.0f}s)", out.all)
        uploaded = re.search(r"^uploaded s3://([^/]+)/(big/[0-9a-f]{64}\.zip)$", out.stdout, re.M)
        check(uploaded is not None, "it says where the artifact went", out.stdout)
        with open(os.path.join(app, ".gust", "package", "big.zip"), "rb") as f:
            zipped = f.read()
        check(len(zipped) > 2 * PART_BYTES, f"the zip ({len(zipped)} bytes) needs three parts")
        if uploaded:
            head = s3.head_object(Bucket=uploaded.group(1), Key=uploaded.group(2))
            check(head["ContentLength"] == len(zipped), f"the stored artifact has the zip's size ({head['ContentLength']})")
            check(head["ETag"] == multipart_etag(zipped, PART_BYTES), f"it went up in 8 MiB parts: ETag {head['ETag']}")

        out = run_gust(GUST, url, WORK, "outputs", app, "--stage", "t", "--json")
        api = json.loads(out.stdout).get("ApiUrl", "") if out.returncode == 0 else ""
        status, body = http("GET", api + "/blob")
        check((status, body) == (200, f"{BLOB_BYTES} {expected_sum}\n"), f"the function run from it reads every byte: {status} {body!r}")

        out = run_gust(GUST, url, WORK, "deploy", app, "--stage", "t")
        check(out.returncode == 0 and "package unchanged (s3://" in out.stdout and "big-t: no changes" in out.stdout,
              "deployed again: nothing uploaded, no change", out.all)
        out = run_gust(GUST, url, WORK, "remove", app, "--stage", "t")
        check(out.returncode == 0, "gust remove", out.all)
    finally:
        stop_cloud(cloud)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
