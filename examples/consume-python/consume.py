#!/usr/bin/env python3
"""Consume one huanjie topic the way another department would: a plain Kafka client
(confluent-kafka, i.e. librdkafka), CloudEvents headers, and the payload validated against the
JSON Schema published in proto-docs/events/<topic>/<Event>.schema.json.

    pip install -r requirements.txt
    python consume.py --brokers 127.0.0.1:9092 --topic personnel.person.v1 --group mydept.person-sync

Delivery is at-least-once: the same event (same ce_id) can arrive twice, so the effect must be
idempotent. Here the handled ids are kept in memory for the illustration; a real consumer records
ce_id in the same database transaction as its effect and skips an id it has seen.
"""
import argparse
import json
import pathlib
import sys

from confluent_kafka import Consumer, KafkaError
from jsonschema import Draft202012Validator

REQUIRED_HEADERS = ("ce_specversion", "ce_id", "ce_type", "ce_source", "ce_time", "content-type")
DEFAULT_SCHEMAS = pathlib.Path(__file__).resolve().parents[2] / "proto-docs" / "events"


def load_validators(schemas_dir: pathlib.Path, topic: str) -> dict:
    """One validator per event type published on the topic, keyed by event name (end of ce_type)."""
    folder = schemas_dir / topic
    if not folder.is_dir():
        sys.exit(f"no schemas for {topic} in {schemas_dir}")
    validators = {}
    for path in sorted(folder.glob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        validators[path.name.removesuffix(".schema.json")] = Draft202012Validator(
            schema, format_checker=Draft202012Validator.FORMAT_CHECKER
        )
    return validators


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--brokers", required=True)
    ap.add_argument("--topic", required=True, help="e.g. personnel.person.v1 (with any deployment prefix)")
    ap.add_argument("--schema-topic", help="the topic's name in proto-docs when --topic carries a prefix")
    ap.add_argument("--group", required=True, help="your consumer group, e.g. <department>.<purpose>")
    ap.add_argument("--schemas", type=pathlib.Path, default=DEFAULT_SCHEMAS, help="proto-docs/events")
    ap.add_argument("--max-messages", type=int, default=0, help="stop after this many messages (0 = run forever)")
    ap.add_argument("--timeout", type=float, default=0, help="stop after this many idle seconds (0 = never)")
    args = ap.parse_args()

    validators = load_validators(args.schemas, args.schema_topic or args.topic)
    consumer = Consumer({
        "bootstrap.servers": args.brokers,
        "group.id": args.group,
        "auto.offset.reset": "earliest",  # a new group starts at the oldest retained event
        "enable.auto.commit": False,       # commit only after the event was handled
    })
    consumer.subscribe([args.topic])
    seen: set[str] = set()
    handled = idle = invalid = 0
    try:
        while not args.max_messages or handled < args.max_messages:
            msg = consumer.poll(1.0)
            if msg is None:
                idle += 1
                if args.timeout and idle >= args.timeout:
                    break
                continue
            idle = 0
            if msg.error():
                if msg.error().code() == KafkaError._PARTITION_EOF:
                    continue
                raise SystemExit(f"kafka error: {msg.error()}")
            headers = {k: (v.decode("utf-8") if v is not None else None) for k, v in (msg.headers() or [])}
            missing = [h for h in REQUIRED_HEADERS if not headers.get(h)]
            if missing or headers["ce_specversion"] != "1.0":
                print(json.dumps({"skipped": "not a CloudEvents 1.0 message", "missing": missing, "offset": msg.offset()}), flush=True)
                consumer.commit(message=msg, asynchronous=False)
                continue
            event_name = headers["ce_type"].rsplit(".", 1)[-1]
            payload = json.loads(msg.value())
            validator = validators.get(event_name)
            if validator is None:
                # A new event type on the topic is a compatible change: ignore what you do not know.
                status = "unknown type, ignored"
            else:
                errors = sorted(validator.iter_errors(payload), key=lambda e: list(e.path))
                if errors:
                    invalid += 1
                    status = "INVALID: " + "; ".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors)
                elif headers["ce_id"] in seen:
                    status = "duplicate, skipped"
                else:
                    seen.add(headers["ce_id"])
                    status = "valid"  # ← apply your effect here, recording ce_id in the same transaction
            print(json.dumps({
                "topic": msg.topic(), "partition": msg.partition(), "offset": msg.offset(),
                "key": msg.key().decode("utf-8") if msg.key() else None,
                "ce_id": headers["ce_id"], "ce_type": headers["ce_type"], "ce_time": headers["ce_time"],
                "status": status,
            }, ensure_ascii=False), flush=True)
            consumer.commit(message=msg, asynchronous=False)
            handled += 1
    finally:
        consumer.close()
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main())
