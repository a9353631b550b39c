#!/usr/bin/env python3
"""Reads a chain spec on stdin and writes it with `count` more endowed accounts on stdout.

`scripts/benchmark.sh storage` measures the database's read and write costs on the state of a
chain spec's genesis; the development genesis alone holds a few dozen keys, which a cache
serves. The accounts added here (derived from their index, each with `amount` planck) give
the database a state of the size a young public chain has.

Usage: populated-spec.py COUNT AMOUNT < spec.json > populated.json  (addresses in the spec's
SS58 format)
"""
import hashlib
import json
import sys

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    encoded = ""
    while number:
        number, digit = divmod(number, 58)
        encoded = ALPHABET[digit] + encoded
    leading_zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * leading_zeros + encoded


def ss58(public: bytes, prefix: int) -> str:
    if prefix >= 64:
        raise SystemExit("only simple SS58 prefixes (< 64) are supported")
    body = bytes([prefix]) + public
    checksum = hashlib.blake2b(b"SS58PRE" + body, digest_size=64).digest()[:2]
    return base58(body + checksum)


def main() -> None:
    count, amount = int(sys.argv[1]), int(sys.argv[2])
    spec = json.load(sys.stdin)
    prefix = int(spec["properties"]["ss58Format"])
    balances = spec["genesis"]["runtimeGenesis"]["patch"]["balances"]["balances"]
    for index in range(count):
        public = hashlib.blake2b(b"tributary/storage-benchmark" + index.to_bytes(4, "little"),
                                 digest_size=32).digest()
        balances.append([ss58(public, prefix), amount])
    json.dump(spec, sys.stdout)


if __name__ == "__main__":
    main()
