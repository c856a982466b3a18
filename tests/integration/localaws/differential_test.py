"""Differential tests: the same operation sequences, through the same boto3
client, against gust-localaws and against third-party implementations
(dynalite, s3rver, fauxqs, moto from shared/tools/aws-peers), comparing the
answers. Every difference must be listed in ACCEPTED with its reason (the
same list is in docs/local-cloud.md); an unlisted one fails the test.

    python3 differential_test.py --server build/bin/gust-localaws [--peers dynalite,moto]
"""

import argparse
import datetime
import json
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

SERVER = None
PEERS = ["dynalite", "s3rver", "fauxqs", "moto"]

# (peer, step) -> why the difference is accepted. Keep docs/local-cloud.md in step.
S3RVER_UNSERVED = ["get_encryption_default", "put_encryption", "get_encryption", "put_public_access_block", "get_public_access_block",
                   "get_lifecycle_missing", "put_lifecycle", "get_lifecycle", "get_notification_default", "put_notification", "get_notification",
                   "put_tagging", "get_tagging"]

ACCEPTED = {
    # --- DynamoDB
    ("dynalite", "transact_write_ok"): "dynalite 4 does not implement TransactWriteItems (UnknownOperationException); we do, as AWS does",
    ("dynalite", "transact_write_cancelled"): "dynalite 4 does not implement TransactWriteItems",
    ("dynalite", "transact_get"): "dynalite 4 does not implement TransactGetItems",
    ("dynalite", "describe_table"): "AWS refreshes ItemCount about every six hours (dynalite reports 0 as a fresh table would); we report the live count",
    ("dynalite", "update_syntax_error"): "dynalite reports PEG parser text ('Syntax error; Expected ... but ... found'); we use AWS's 'token: \"x\", near: \"...\"' form",
    ("moto", "create_table"): "moto reports TableStatus ACTIVE in the CreateTable answer; AWS and we report CREATING",
    ("moto", "query_filter_on_key"): "moto accepts key attributes in a Query FilterExpression; AWS and we reject them",
    ("moto", "update_all"): "moto returns ConsumedCapacity even when ReturnConsumedCapacity is NONE; AWS and we leave it out",
    ("moto", "update_updated_old"): "moto returns ConsumedCapacity even when not asked (see update_all)",
    ("moto", "batch_write"): "moto returns ConsumedCapacity and ItemCollectionMetrics even when not asked (see update_all)",
    ("moto", "transact_write_ok"): "moto returns empty ConsumedCapacity and ItemCollectionMetrics members; AWS and we leave them out",
    ("moto", "query_begins"): "moto returns numbers as the client wrote them ('3.0'); AWS normalises them ('3'), as we do",
    ("moto", "query_between_desc"): "moto does not normalise numbers (see query_begins)",
    ("moto", "query_limit"): "moto does not normalise numbers (see query_begins)",
    ("moto", "query_filter"): "moto does not normalise numbers (see query_begins)",
    ("moto", "query_gsi"): "moto does not normalise numbers (see query_begins)",
    ("moto", "scan_filter"): "moto does not normalise numbers (see query_begins)",
    ("moto", "update_undefined_name"): "moto fails with HTTP 500 on an undefined #name; AWS and we answer ValidationException",
    ("moto", "key_schema_mismatch"): "moto says 'Validation Exception'; AWS and we say 'The provided key element does not match the schema'",
    ("moto", "delete_table"): "moto reports TableStatus ACTIVE when deleting; AWS and we report DELETING",
    ("moto", "delete_bucket_not_empty"): "moto has AWS's older message, without the sentence about versions",
    ("dynalite", "update_table_add_gsi"): "dynalite predates on-demand indexes: it wants ProvisionedThroughput in a GSI Create even for a PAY_PER_REQUEST table; AWS and we do not",
    ("dynalite", "wait_gsi_active"): "dynalite refused the index (see update_table_add_gsi), so it never becomes ACTIVE",
    ("dynalite", "query_new_gsi"): "dynalite refused the index (see update_table_add_gsi)",
    ("dynalite", "update_table_existing_gsi"): "dynalite checks ProvisionedThroughput before the name (see update_table_add_gsi); AWS and we report the existing index",
    ("dynalite", "update_table_delete_gsi"): "dynalite reports ItemCount 0 (see describe_table)",
    ("dynalite", "update_table_delete_missing_gsi"): "dynalite ignores a Delete of an index the table does not have; AWS and we answer ResourceNotFoundException",
    ("dynalite", "update_ttl"): "dynalite 4 does not implement UpdateTimeToLive (UnknownOperationException); we do, as AWS does",
    ("dynalite", "describe_ttl"): "dynalite cannot enable TTL (see update_ttl), so it reports DISABLED",
    ("dynalite", "update_ttl_again"): "dynalite 4 does not implement UpdateTimeToLive",
    ("moto", "update_table_add_gsi"): "moto replaces the table's AttributeDefinitions with the request's; AWS keeps the table's own and adds the new index's, as we do",
    ("moto", "query_new_gsi"): "moto does not normalise numbers (see query_begins)",
    ("moto", "update_table_existing_gsi"): "moto fails with HTTP 500 on a Create of an index that exists; AWS and we answer ValidationException",
    ("moto", "update_table_delete_gsi"): "moto keeps only the definitions of its last request (see update_table_add_gsi); AWS and we keep every definition a key still uses",
    ("moto", "query_deleted_gsi"): "moto answers ResourceNotFoundException 'Invalid index'; AWS (and dynalite, and we) answer ValidationException 'The table does not have the specified index'",
    ("moto", "update_table_delete_missing_gsi"): "moto fails with HTTP 500 on a Delete of an index the table does not have; AWS and we answer ResourceNotFoundException",
    ("moto", "update_ttl_again"): "moto enables TTL again without complaint; AWS answers ValidationException 'TimeToLive is already enabled', as we do",
    # --- S3
    ("s3rver", "put_object"): "s3rver omits x-amz-server-side-encryption; AWS encrypts every object (SSE-S3) and says so, as we do",
    ("s3rver", "head_object"): "s3rver omits x-amz-server-side-encryption (see put_object)",
    ("s3rver", "get_object"): "s3rver omits x-amz-server-side-encryption (see put_object)",
    ("s3rver", "copy_object"): "s3rver omits x-amz-server-side-encryption (see put_object)",
    ("s3rver", "range_get"): "s3rver omits x-amz-server-side-encryption (see put_object)",
    ("s3rver", "multipart_complete"): "s3rver's multipart ETag is the MD5 of the whole object; AWS's (and ours) is the MD5 of the parts' MD5s with '-2'",
    ("s3rver", "multipart_get"): "s3rver's multipart ETag differs (see multipart_complete) and it sends no x-amz-server-side-encryption",
    ("s3rver", "list_v2_delimiter"): "s3rver loses the common prefix of a deeper key (tree/d/ from tree/d/e/f) and counts only keys in KeyCount; AWS counts keys and prefixes, as we do",
    ("s3rver", "list_v2_page1"): "s3rver answers 500 InternalError to MaxKeys with a Prefix",
    ("s3rver", "list_v2_page2"): "s3rver answers 500 InternalError to MaxKeys with a Prefix",
    ("s3rver", "delete_bucket_not_empty"): "s3rver's message has a typo ('your tried') and predates the sentence about versions AWS now adds",
    ("s3rver", "multipart_too_small"): "s3rver does not enforce the 5 MiB minimum part size; AWS (and we) answer EntityTooSmall",
    ("moto", "put_object"): "moto sends no x-amz-server-side-encryption header; AWS encrypts every object (SSE-S3) and says so, as we do",
    ("moto", "head_object"): "moto sends no x-amz-server-side-encryption header; AWS encrypts every object (SSE-S3) and says so, as we do",
    ("moto", "get_object"): "moto sends no x-amz-server-side-encryption header; AWS encrypts every object (SSE-S3) and says so, as we do",
    ("moto", "copy_object"): "moto sends no x-amz-server-side-encryption header; AWS encrypts every object (SSE-S3) and says so, as we do",
    ("moto", "range_get"): "moto sends no x-amz-server-side-encryption header; AWS encrypts every object (SSE-S3) and says so, as we do",
    ("moto", "multipart_complete"): "moto sends no x-amz-server-side-encryption header; AWS encrypts every object (SSE-S3) and says so, as we do",
    ("moto", "multipart_get"): "moto sends no x-amz-server-side-encryption header; AWS encrypts every object (SSE-S3) and says so, as we do",
    ("moto", "multipart_too_small"): "moto uses MinIO's wording ('... minimum allowed object size.'); AWS and we say '... minimum allowed size'",
    ("moto", "get_encryption_default"): "moto answers ServerSideEncryptionConfigurationNotFoundError for a new bucket; AWS has encrypted every bucket with SSE-S3 by default since January 2023 and says so, as we do",
    ("moto", "put_versioning_bad"): "moto accepts a versioning Status other than Enabled/Suspended; AWS and we answer MalformedXML",
    ("s3rver", "put_versioning"): "s3rver does not serve ?versioning (it takes the PUT for a CreateBucket: BucketAlreadyExists)",
    ("s3rver", "get_versioning"): "s3rver does not serve ?versioning (it answers the GET as a listing)",
    ("s3rver", "put_versioning_bad"): "s3rver does not serve ?versioning (see put_versioning)",
    # --- SNS
    ("moto", "publish_batch_empty"): "moto accepts an empty PublishBatch; AWS answers EmptyBatchRequest, as we do",
    # --- SQS
    ("fauxqs", "queue_attributes"): "fauxqs reports a different set of default attributes (no SqsManagedSseEnabled)",
    ("fauxqs", "batch_duplicate_ids"): "fauxqs says 'Two or more batch entries in the request have the same Id.'; AWS and we say 'Id a repeated.'",
    ("moto", "receive_bad_wait"): "moto's message repeats the client's error text and has the bounds backwards ('must be <= 0 and >= 20')",
    ("fauxqs", "receive_bad_wait"): "fauxqs prefixes every query error code with AWS.SimpleQueueService.; AWS reports the common InvalidParameterValue unprefixed, as we do",
    ("moto", "send_invalid_chars"): "moto accepts control characters in a body; AWS and we reject them with InvalidMessageContents",
    ("fauxqs", "send_invalid_chars"): "fauxqs prefixes the code (see receive_bad_wait) and leaves #x10000 to #x10FFFF out of the message",
    ("moto", "delete_bad_receipt"): "moto says 'The input receipt handle is invalid.'; AWS and we quote the handle",
    ("fauxqs", "delete_bad_receipt"): "fauxqs accepts any receipt handle; AWS and we reject a malformed one with ReceiptHandleIsInvalid",
}

ACCEPTED.update({("s3rver", step): "s3rver answers 501 NotImplemented to this bucket configuration; AWS serves it, as we do"
                 for step in S3RVER_UNSERVED})

# ---------------------------------------------------------------- normalising answers

VOLATILE_KEYS = {"ResponseMetadata", "RequestId", "HostId", "MessageId", "ReceiptHandle", "TableId", "TableArn", "IndexArn", "UploadId",
                 "CreationDateTime", "LastModified", "CreationDate", "LastDecreaseDateTime", "LastIncreaseDateTime", "SentTimestamp",
                 "ApproximateFirstReceiveTimestamp", "CreatedTimestamp", "LastModifiedTimestamp", "Expiration", "SenderId",
                 "LastUpdateToPayPerRequestDateTime", "ContinuationToken", "NextContinuationToken", "Owner", "QueueArn", "SequenceNumber",
                 "ChecksumCRC32", "ChecksumType", "ChecksumAlgorithm", "ContentType", "Location", "AcceptRanges", "TableSizeBytes",
                 "IndexSizeBytes", "ProvisionedThroughput", "DeletionProtectionEnabled", "TableClassSummary", "WarmThroughput",
                 "SSEDescription", "StreamSpecification", "LatestStreamArn", "LatestStreamLabel", "TableThroughputModeSummary"}


def normalise(value):
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in sorted(value.items()) if k not in VOLATILE_KEYS}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, (datetime.datetime, datetime.date)):
        return "TIME"
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if isinstance(value, str):
        value = re.sub(r"http://127\.0\.0\.1:\d+", "URL", value)
        value = re.sub(r"http://(localhost|[a-z0-9.-]+):\d+", "URL", value)
        value = re.sub(r":\d{12}:", ":ACCOUNT:", value)
        value = re.sub(r"/\d{12}/", "/ACCOUNT/", value)
        return value
    return value


def outcome(fn):
    """Runs one step: ("ok", normalised answer) or ("error", code, message, status)."""
    from botocore.exceptions import ClientError

    try:
        return ("ok", normalise(fn()))
    except ClientError as e:
        err = e.response.get("Error", {})
        return ("error", err.get("Code"), err.get("Message"), e.response.get("ResponseMetadata", {}).get("HTTPStatusCode"))


# ---------------------------------------------------------------- scenarios

def dynamodb_steps(c):
    def items(res):
        res = dict(res)
        if "Items" in res:
            res["Items"] = sorted(res["Items"], key=lambda i: json.dumps(i, sort_keys=True))
        return res

    def table_shape(res):
        d = res.get("TableDescription") or res.get("Table")
        keep = {k: d[k] for k in ("TableName", "KeySchema", "AttributeDefinitions", "TableStatus", "ItemCount") if k in d}
        keep["AttributeDefinitions"] = sorted(keep.get("AttributeDefinitions", []), key=lambda a: a["AttributeName"])
        keep["Billing"] = d.get("BillingModeSummary", {}).get("BillingMode")
        keep["GSIs"] = sorted([{k: g[k] for k in ("IndexName", "KeySchema", "Projection")} for g in d.get("GlobalSecondaryIndexes", [])],
                              key=lambda g: g["IndexName"])
        return keep

    key = lambda u, i: {"user": {"S": u}, "id": {"S": i}}  # noqa: E731
    steps = [
        ("create_table", lambda: table_shape(c.create_table(
            TableName="todos", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "user", "AttributeType": "S"}, {"AttributeName": "id", "AttributeType": "S"},
                                  {"AttributeName": "state", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "user", "KeyType": "HASH"}, {"AttributeName": "id", "KeyType": "RANGE"}],
            GlobalSecondaryIndexes=[{"IndexName": "by-state", "KeySchema": [{"AttributeName": "state", "KeyType": "HASH"}],
                                     "Projection": {"ProjectionType": "ALL"}}]))),
        ("wait_active", lambda: c.get_waiter("table_exists").wait(TableName="todos", WaiterConfig={"Delay": 0.2, "MaxAttempts": 50}) or {}),
    ]
    for i in range(12):
        steps.append(("put_%d" % i, lambda i=i: c.put_item(TableName="todos", Item={
            "user": {"S": "ann" if i < 8 else "bob"}, "id": {"S": "t%02d" % i}, "state": {"S": "open" if i % 2 else "done"},
            "n": {"N": str(i * 1.5)}, "tags": {"SS": ["a", "b"]}, "m": {"M": {"x": {"L": [{"N": "1"}, {"BOOL": True}]}}}})))
    steps += [
        ("describe_table", lambda: table_shape(c.describe_table(TableName="todos"))),
        ("get_item", lambda: c.get_item(TableName="todos", Key=key("ann", "t03"))),
        ("get_missing", lambda: c.get_item(TableName="todos", Key=key("ann", "zz"))),
        ("get_projection", lambda: c.get_item(TableName="todos", Key=key("ann", "t03"), ProjectionExpression="#m.x[1], n",
                                              ExpressionAttributeNames={"#m": "m"})),
        ("put_condition_fails", lambda: c.put_item(TableName="todos", Item=key("ann", "t03"), ConditionExpression="attribute_not_exists(id)")),
        ("update_all", lambda: c.update_item(
            TableName="todos", Key=key("ann", "t03"),
            UpdateExpression="SET n = n + :d, extra = if_not_exists(extra, :z), lst = list_append(if_not_exists(lst, :e), :v) "
                             "REMOVE #s ADD cnt :one DELETE tags :a",
            ExpressionAttributeNames={"#s": "state"},
            ExpressionAttributeValues={":d": {"N": "0.25"}, ":z": {"N": "0"}, ":e": {"L": []}, ":v": {"L": [{"S": "x"}]}, ":one": {"N": "1"},
                                       ":a": {"SS": ["a"]}},
            ReturnValues="ALL_NEW")),
        ("update_updated_old", lambda: c.update_item(TableName="todos", Key=key("ann", "t03"), UpdateExpression="SET n = :v",
                                                     ExpressionAttributeValues={":v": {"N": "100"}}, ReturnValues="UPDATED_OLD")),
        ("update_reserved_word", lambda: c.update_item(TableName="todos", Key=key("ann", "t03"), UpdateExpression="SET name = :v",
                                                       ExpressionAttributeValues={":v": {"S": "x"}})),
        ("update_undefined_name", lambda: c.update_item(TableName="todos", Key=key("ann", "t03"), UpdateExpression="SET #q = :v",
                                                        ExpressionAttributeValues={":v": {"S": "x"}})),
        ("update_unused_value", lambda: c.update_item(TableName="todos", Key=key("ann", "t03"), UpdateExpression="SET a = :v",
                                                      ExpressionAttributeValues={":v": {"S": "x"}, ":w": {"S": "y"}})),
        ("update_arith_missing", lambda: c.update_item(TableName="todos", Key=key("ann", "t03"), UpdateExpression="SET a = nope + :v",
                                                       ExpressionAttributeValues={":v": {"N": "1"}})),
        ("update_syntax_error", lambda: c.update_item(TableName="todos", Key=key("ann", "t03"), UpdateExpression="SET a = = :v",
                                                      ExpressionAttributeValues={":v": {"N": "1"}})),
        ("update_key_attribute", lambda: c.update_item(TableName="todos", Key=key("ann", "t03"), UpdateExpression="SET id = :v",
                                                       ExpressionAttributeValues={":v": {"S": "1"}})),
        ("query_begins", lambda: c.query(TableName="todos", KeyConditionExpression="#u = :u AND begins_with(id, :p)",
                                         ExpressionAttributeNames={"#u": "user"}, ExpressionAttributeValues={":u": {"S": "ann"}, ":p": {"S": "t0"}})),
        ("query_between_desc", lambda: c.query(TableName="todos", KeyConditionExpression="#u = :u AND id BETWEEN :a AND :b",
                                               ExpressionAttributeNames={"#u": "user"},
                                               ExpressionAttributeValues={":u": {"S": "ann"}, ":a": {"S": "t02"}, ":b": {"S": "t05"}},
                                               ScanIndexForward=False)),
        ("query_limit", lambda: c.query(TableName="todos", KeyConditionExpression="#u = :u", ExpressionAttributeNames={"#u": "user"},
                                        ExpressionAttributeValues={":u": {"S": "ann"}}, Limit=3)),
        ("query_filter", lambda: c.query(TableName="todos", KeyConditionExpression="#u = :u", FilterExpression="n > :x",
                                         ExpressionAttributeNames={"#u": "user"}, ExpressionAttributeValues={":u": {"S": "ann"}, ":x": {"N": "5"}})),
        ("query_count", lambda: c.query(TableName="todos", KeyConditionExpression="#u = :u", ExpressionAttributeNames={"#u": "user"},
                                        ExpressionAttributeValues={":u": {"S": "bob"}}, Select="COUNT")),
        ("query_filter_on_key", lambda: c.query(TableName="todos", KeyConditionExpression="#u = :u", FilterExpression="id = :u",
                                                ExpressionAttributeNames={"#u": "user"}, ExpressionAttributeValues={":u": {"S": "ann"}})),
        ("query_gsi", lambda: items(c.query(TableName="todos", IndexName="by-state", KeyConditionExpression="#s = :s",
                                            ExpressionAttributeNames={"#s": "state"}, ExpressionAttributeValues={":s": {"S": "done"}}))),
        ("scan_filter", lambda: items(c.scan(TableName="todos", FilterExpression="contains(tags, :a) AND size(id) = :three",
                                             ExpressionAttributeValues={":a": {"S": "a"}, ":three": {"N": "3"}}))),
        ("scan_all_pages", lambda: sorted(i["id"]["S"] for p in c.get_paginator("scan").paginate(TableName="todos", PaginationConfig={"PageSize": 5})
                                          for i in p["Items"])),
        ("batch_write", lambda: c.batch_write_item(RequestItems={"todos": [{"PutRequest": {"Item": key("cat", str(i))}} for i in range(5)]})),
        ("batch_get", lambda: {"n": len(c.batch_get_item(RequestItems={"todos": {"Keys": [key("cat", str(i)) for i in range(5)]}})["Responses"]["todos"])}),
        ("transact_write_ok", lambda: c.transact_write_items(TransactItems=[
            {"Put": {"TableName": "todos", "Item": key("dan", "1")}},
            {"Update": {"TableName": "todos", "Key": key("cat", "1"), "UpdateExpression": "SET v = :v", "ExpressionAttributeValues": {":v": {"N": "1"}}}}])),
        ("transact_write_cancelled", lambda: c.transact_write_items(TransactItems=[
            {"Put": {"TableName": "todos", "Item": key("dan", "2")}},
            {"ConditionCheck": {"TableName": "todos", "Key": key("cat", "1"), "ConditionExpression": "v = :x",
                                "ExpressionAttributeValues": {":x": {"N": "2"}}}}])),
        ("transact_get", lambda: c.transact_get_items(TransactItems=[{"Get": {"TableName": "todos", "Key": key("dan", "1")}}])),
        ("missing_table_get", lambda: c.get_item(TableName="nope", Key=key("a", "b"))),
        ("key_schema_mismatch", lambda: c.get_item(TableName="todos", Key={"user": {"S": "ann"}})),
        ("key_type_mismatch", lambda: c.put_item(TableName="todos", Item={"user": {"S": "ann"}, "id": {"N": "1"}})),
        ("put_empty_set", lambda: c.put_item(TableName="todos", Item={"user": {"S": "ann"}, "id": {"S": "x"}, "s": {"SS": []}})),
        ("delete_all_old", lambda: c.delete_item(TableName="todos", Key=key("ann", "t01"), ReturnValues="ALL_OLD")),
        # UpdateTable: an index added to a table with items (back-filled), queried, then removed.
        ("update_table_add_gsi", lambda: table_shape(c.update_table(
            TableName="todos", AttributeDefinitions=[{"AttributeName": "user", "AttributeType": "S"}, {"AttributeName": "n", "AttributeType": "N"}],
            GlobalSecondaryIndexUpdates=[{"Create": {"IndexName": "by-n", "KeySchema": [{"AttributeName": "user", "KeyType": "HASH"},
                                                                                         {"AttributeName": "n", "KeyType": "RANGE"}],
                                                     "Projection": {"ProjectionType": "KEYS_ONLY"}}}]))),
        ("wait_gsi_active", lambda: wait_index(c, "todos", "by-n")),
        ("query_new_gsi", lambda: c.query(TableName="todos", IndexName="by-n", KeyConditionExpression="#u = :u AND n > :x",
                                          ExpressionAttributeNames={"#u": "user"}, ExpressionAttributeValues={":u": {"S": "ann"}, ":x": {"N": "4"}})),
        ("update_table_existing_gsi", lambda: c.update_table(
            TableName="todos", AttributeDefinitions=[{"AttributeName": "n", "AttributeType": "N"}],
            GlobalSecondaryIndexUpdates=[{"Create": {"IndexName": "by-n", "KeySchema": [{"AttributeName": "n", "KeyType": "HASH"}],
                                                     "Projection": {"ProjectionType": "ALL"}}}])),
        ("update_table_delete_gsi", lambda: table_shape(c.update_table(TableName="todos", GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by-n"}}]))),
        ("wait_gsi_gone", lambda: wait_index(c, "todos", "by-n", gone=True)),
        ("query_deleted_gsi", lambda: c.query(TableName="todos", IndexName="by-n", KeyConditionExpression="#u = :u",
                                              ExpressionAttributeNames={"#u": "user"}, ExpressionAttributeValues={":u": {"S": "ann"}})),
        ("update_table_delete_missing_gsi", lambda: c.update_table(TableName="todos", GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "nope"}}])),
        # Time to live.
        ("describe_ttl_default", lambda: c.describe_time_to_live(TableName="todos")),
        ("update_ttl", lambda: c.update_time_to_live(TableName="todos", TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"})),
        ("describe_ttl", lambda: c.describe_time_to_live(TableName="todos")),
        ("update_ttl_again", lambda: c.update_time_to_live(TableName="todos", TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"})),
        ("delete_table", lambda: {"status": c.delete_table(TableName="todos")["TableDescription"]["TableStatus"]}),
    ]
    return steps


def wait_index(c, table, index, gone=False):
    """Waits (bounded) until `index` is ACTIVE, or gone; peers build indexes in the background."""
    import time
    for _ in range(50):
        gsis = {g["IndexName"]: g.get("IndexStatus") for g in c.describe_table(TableName=table)["Table"].get("GlobalSecondaryIndexes", [])}
        if (gone and index not in gsis) or (not gone and gsis.get(index) == "ACTIVE"):
            return {}
        time.sleep(0.2)
    return {"timed_out": index}


def s3_steps(c):
    def head_shape(res):
        return {k: res.get(k) for k in ("ContentLength", "ETag", "Metadata", "ServerSideEncryption", "ContentRange")}

    def listing(res):
        return {"Keys": [o["Key"] for o in res.get("Contents", [])], "Sizes": [o["Size"] for o in res.get("Contents", [])],
                "ETags": [o["ETag"] for o in res.get("Contents", [])], "Prefixes": [p["Prefix"] for p in res.get("CommonPrefixes", [])],
                "KeyCount": res.get("KeyCount"), "IsTruncated": res.get("IsTruncated"),
                "Owner": [o.get("Owner") is not None for o in res.get("Contents", [])],
                "StorageClass": [o.get("StorageClass") for o in res.get("Contents", [])]}

    state = {}
    big = b"a" * (5 * 1024 * 1024)

    def multipart():
        up = c.create_multipart_upload(Bucket="diff-bucket", Key="mp")
        state["id"] = up["UploadId"]
        e1 = c.upload_part(Bucket="diff-bucket", Key="mp", UploadId=up["UploadId"], PartNumber=1, Body=big)["ETag"]
        e2 = c.upload_part(Bucket="diff-bucket", Key="mp", UploadId=up["UploadId"], PartNumber=2, Body=b"tail")["ETag"]
        res = c.complete_multipart_upload(Bucket="diff-bucket", Key="mp", UploadId=up["UploadId"],
                                          MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]})
        return {"ETag": res["ETag"], "Key": res["Key"], "Bucket": res["Bucket"], "SSE": res.get("ServerSideEncryption")}

    def too_small():
        up = c.create_multipart_upload(Bucket="diff-bucket", Key="small")
        e1 = c.upload_part(Bucket="diff-bucket", Key="small", UploadId=up["UploadId"], PartNumber=1, Body=b"x")["ETag"]
        e2 = c.upload_part(Bucket="diff-bucket", Key="small", UploadId=up["UploadId"], PartNumber=2, Body=b"y")["ETag"]
        return c.complete_multipart_upload(Bucket="diff-bucket", Key="small", UploadId=up["UploadId"],
                                           MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]})

    def get(**kw):
        res = c.get_object(Bucket="diff-bucket", **kw)
        shape = head_shape(res)
        shape["Body"] = res["Body"].read()[:64]
        return shape

    steps = [
        ("create_bucket", lambda: {"ok": bool(c.create_bucket(Bucket="diff-bucket"))}),
        ("put_object", lambda: {k: v for k, v in c.put_object(Bucket="diff-bucket", Key="dir/a.txt", Body=b"hello world",
                                                               Metadata={"owner": "ann"}).items() if k in ("ETag", "ServerSideEncryption")}),
        ("head_object", lambda: head_shape(c.head_object(Bucket="diff-bucket", Key="dir/a.txt"))),
        ("get_object", lambda: get(Key="dir/a.txt")),
        ("range_get", lambda: get(Key="dir/a.txt", Range="bytes=6-")),
        ("invalid_range", lambda: get(Key="dir/a.txt", Range="bytes=100-200")),
        ("copy_object", lambda: (c.copy_object(Bucket="diff-bucket", Key="dir/b.txt", CopySource={"Bucket": "diff-bucket", "Key": "dir/a.txt"}),
                                 head_shape(c.head_object(Bucket="diff-bucket", Key="dir/b.txt")))[1]),
        ("get_missing", lambda: get(Key="nope")),
        ("head_missing_bucket", lambda: c.head_bucket(Bucket="no-such-bucket-x")),
        ("list_missing_bucket", lambda: c.list_objects_v2(Bucket="no-such-bucket-x")),
    ]
    for k in ("a/1", "a/2", "b/1", "c", "d/e/f"):
        steps.append(("put_" + k, lambda k=k: c.put_object(Bucket="diff-bucket", Key="tree/" + k, Body=b"x") and {}))
    steps += [
        ("list_v2_delimiter", lambda: listing(c.list_objects_v2(Bucket="diff-bucket", Prefix="tree/", Delimiter="/"))),
        ("list_v2_page1", lambda: listing(c.list_objects_v2(Bucket="diff-bucket", Prefix="tree/", MaxKeys=2))),
        ("list_v2_page2", lambda: listing(c.list_objects_v2(Bucket="diff-bucket", Prefix="tree/", MaxKeys=2,
                                                            ContinuationToken=c.list_objects_v2(Bucket="diff-bucket", Prefix="tree/",
                                                                                                MaxKeys=2)["NextContinuationToken"]))),
        ("multipart_complete", multipart),
        ("multipart_get", lambda: {**head_shape(c.head_object(Bucket="diff-bucket", Key="mp")), "Body": c.get_object(Bucket="diff-bucket", Key="mp",
                                                                                                                     Range="bytes=5242878-")["Body"].read()}),
        ("multipart_too_small", too_small),
        ("delete_bucket_not_empty", lambda: c.delete_bucket(Bucket="diff-bucket")),
        ("delete_object", lambda: {"status": c.delete_object(Bucket="diff-bucket", Key="dir/a.txt")["ResponseMetadata"]["HTTPStatusCode"]}),
        ("get_deleted", lambda: get(Key="dir/a.txt")),
        # Bucket configurations deploy tools and SDKs set and read.
        ("get_location", lambda: c.get_bucket_location(Bucket="diff-bucket")),
        ("get_encryption_default", lambda: c.get_bucket_encryption(Bucket="diff-bucket")),
        ("put_encryption", lambda: c.put_bucket_encryption(Bucket="diff-bucket", ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": True}]}) and {}),
        ("get_encryption", lambda: c.get_bucket_encryption(Bucket="diff-bucket")),
        ("put_public_access_block", lambda: c.put_public_access_block(Bucket="diff-bucket", PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": False}) and {}),
        ("get_public_access_block", lambda: c.get_public_access_block(Bucket="diff-bucket")),
        ("get_lifecycle_missing", lambda: c.get_bucket_lifecycle_configuration(Bucket="diff-bucket")),
        ("put_lifecycle", lambda: c.put_bucket_lifecycle_configuration(Bucket="diff-bucket", LifecycleConfiguration={"Rules": [
            {"ID": "old-logs", "Filter": {"Prefix": "logs/"}, "Status": "Enabled", "Expiration": {"Days": 30}}]}) and {}),
        ("get_lifecycle", lambda: c.get_bucket_lifecycle_configuration(Bucket="diff-bucket")),
        ("get_notification_default", lambda: c.get_bucket_notification_configuration(Bucket="diff-bucket")),
        ("put_notification", lambda: c.put_bucket_notification_configuration(Bucket="diff-bucket", NotificationConfiguration={}) and {}),
        ("get_notification", lambda: c.get_bucket_notification_configuration(Bucket="diff-bucket")),
        ("put_tagging", lambda: c.put_bucket_tagging(Bucket="diff-bucket", Tagging={"TagSet": [{"Key": "team", "Value": "todo"}]}) and {}),
        ("get_tagging", lambda: c.get_bucket_tagging(Bucket="diff-bucket")),
        ("get_versioning_default", lambda: c.get_bucket_versioning(Bucket="diff-bucket")),
        ("put_versioning", lambda: c.put_bucket_versioning(Bucket="diff-bucket", VersioningConfiguration={"Status": "Suspended"}) and {}),
        ("get_versioning", lambda: c.get_bucket_versioning(Bucket="diff-bucket")),
        ("put_versioning_bad", lambda: c.put_bucket_versioning(Bucket="diff-bucket", VersioningConfiguration={"Status": "Sometimes"})),
        ("get_config_missing_bucket", lambda: c.get_bucket_encryption(Bucket="no-such-bucket-x")),
    ]
    return steps


def sqs_steps(c):
    state = {}

    def url():
        return state["url"]

    def create():
        state["url"] = c.create_queue(QueueName="diffq", Attributes={"VisibilityTimeout": "30"})["QueueUrl"]
        return {"QueueUrl": state["url"]}

    def receive():
        res = c.receive_message(QueueUrl=url(), MaxNumberOfMessages=10, AttributeNames=["ApproximateReceiveCount"],
                                MessageAttributeNames=["All"], WaitTimeSeconds=1)
        msgs = sorted(res.get("Messages", []), key=lambda m: m["Body"])
        state["receipts"] = [m["ReceiptHandle"] for m in msgs]
        return msgs

    def queue_attributes():
        attrs = c.get_queue_attributes(QueueUrl=url(), AttributeNames=["All"])["Attributes"]
        return {k: v for k, v in attrs.items() if not k.endswith("Timestamp")}

    return [
        ("create_queue", create),
        ("get_queue_url", lambda: c.get_queue_url(QueueName="diffq")),
        ("queue_attributes", queue_attributes),
        ("send", lambda: c.send_message(QueueUrl=url(), MessageBody="hello", MessageAttributes={"k": {"DataType": "String", "StringValue": "v"}})),
        ("send_batch", lambda: c.send_message_batch(QueueUrl=url(), Entries=[{"Id": "a", "MessageBody": "b1"}, {"Id": "b", "MessageBody": "b2"}])),
        ("receive", receive),
        ("receive_again_empty", lambda: c.receive_message(QueueUrl=url(), WaitTimeSeconds=0)),
        ("delete_batch", lambda: c.delete_message_batch(QueueUrl=url(), Entries=[{"Id": str(i), "ReceiptHandle": r}
                                                                                for i, r in enumerate(state["receipts"])])),
        ("counts_after_delete", lambda: {k: v for k, v in c.get_queue_attributes(
            QueueUrl=url(), AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"].items()}),
        ("batch_duplicate_ids", lambda: c.send_message_batch(QueueUrl=url(), Entries=[{"Id": "a", "MessageBody": "1"}, {"Id": "a", "MessageBody": "2"}])),
        ("receive_bad_wait", lambda: c.receive_message(QueueUrl=url(), WaitTimeSeconds=30)),
        ("send_invalid_chars", lambda: c.send_message(QueueUrl=url(), MessageBody="bad \x01")),
        ("delete_bad_receipt", lambda: c.delete_message(QueueUrl=url(), ReceiptHandle="garbage")),
        ("missing_queue", lambda: c.get_queue_url(QueueName="nope-queue")),
        ("delete_queue", lambda: c.delete_queue(QueueUrl=url()) and {}),
    ]


def sns_steps(c):
    sqs = harness.boto_client("sqs", c.meta.endpoint_url)
    state = {}

    def topic():
        state["topic"] = c.create_topic(Name="diff-topic")["TopicArn"]
        state["queue"] = sqs.create_queue(QueueName="diff-sink")["QueueUrl"]
        state["queue_arn"] = sqs.get_queue_attributes(QueueUrl=state["queue"], AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        return {"TopicArn": state["topic"]}

    def subscribe():
        res = c.subscribe(TopicArn=state["topic"], Protocol="sqs", Endpoint=state["queue_arn"], Attributes={"RawMessageDelivery": "true"},
                          ReturnSubscriptionArn=True)
        state["sub"] = res["SubscriptionArn"]
        return {"prefix": res["SubscriptionArn"].rsplit(":", 1)[0]}

    def subscriptions():
        return sorted([s["Protocol"], s["Endpoint"], s["TopicArn"]] for s in c.list_subscriptions()["Subscriptions"])

    def received():
        bodies = []
        for _ in range(10):
            got = sqs.receive_message(QueueUrl=state["queue"], MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
            bodies += [m["Body"] for m in got]
            if len(bodies) >= 4:
                break
        return sorted(bodies)

    def batch(entries):
        res = c.publish_batch(TopicArn=state["topic"], PublishBatchRequestEntries=entries)
        return {"Successful": sorted(e["Id"] for e in res.get("Successful", [])),
                "Failed": sorted([e["Id"], e["Code"], e["SenderFault"]] for e in res.get("Failed", []))}

    return [
        ("create_topic", topic),
        ("subscribe", subscribe),
        ("list_subscriptions", subscriptions),
        ("list_by_topic", lambda: sorted(s["Protocol"] for s in c.list_subscriptions_by_topic(TopicArn=state["topic"])["Subscriptions"])),
        ("publish", lambda: c.publish(TopicArn=state["topic"], Message="one") and {}),
        ("publish_batch", lambda: batch([{"Id": "a", "Message": "two"}, {"Id": "b", "Message": "three"}, {"Id": "c", "Message": "four"}])),
        ("received", received),
        ("publish_batch_duplicate_ids", lambda: batch([{"Id": "a", "Message": "x"}, {"Id": "a", "Message": "y"}])),
        ("publish_batch_empty", lambda: batch([])),
        ("publish_batch_too_many", lambda: batch([{"Id": "m%d" % i, "Message": "x"} for i in range(11)])),
        ("publish_batch_missing_topic", lambda: c.publish_batch(TopicArn=state["topic"] + "-nope", PublishBatchRequestEntries=[{"Id": "a", "Message": "x"}])),
        ("unsubscribe", lambda: c.unsubscribe(SubscriptionArn=state["sub"]) and {}),
        ("list_after_unsubscribe", subscriptions),
        ("delete_topic", lambda: c.delete_topic(TopicArn=state["topic"]) and {}),
    ]


SCENARIOS = {
    "dynalite": [("dynamodb", dynamodb_steps)],
    "s3rver": [("s3", s3_steps)],
    "fauxqs": [("sqs", sqs_steps)],
    "moto": [("dynamodb", dynamodb_steps), ("s3", s3_steps), ("sqs", sqs_steps), ("sns", sns_steps)],
}


def run_steps(service, steps_fn, url, key="AKIDLOCAL", secret="local-secret"):
    client = harness.boto_client(service, url, key=key, secret=secret)
    return [(name, outcome(fn)) for name, fn in steps_fn(client)]


class Differential(unittest.TestCase):
    pass


def make_test(peer):
    def test(self):
        # s3rver accepts only its own key pair; any key works for ours.
        key, secret = ("S3RVER", "S3RVER") if peer == "s3rver" else ("AKIDLOCAL", "local-secret")
        problems = []
        with harness.Peer(peer) as p:
            for service, steps_fn in SCENARIOS[peer]:
                with harness.LocalAws(SERVER) as ours:
                    mine = run_steps(service, steps_fn, ours.url, key, secret)
                theirs = run_steps(service, steps_fn, p.url, key, secret)
                for (name, a), (_, b) in zip(mine, theirs):
                    if a == b:
                        continue
                    if (peer, name) in ACCEPTED:
                        print("accepted difference %s/%s: %s" % (peer, name, ACCEPTED[(peer, name)]))
                        if os.environ.get("GUST_DIFF_SHOW"):
                            print("  ours:   %s\n  theirs: %s" % (json.dumps(a, default=str)[:400], json.dumps(b, default=str)[:400]))
                        continue
                    problems.append("%s %s/%s:\n  ours:   %s\n  theirs: %s" % (service, peer, name, json.dumps(a, default=str)[:600],
                                                                               json.dumps(b, default=str)[:600]))
        if problems:
            self.fail("%d unexplained difference(s):\n%s" % (len(problems), "\n".join(problems)))
    return test


for _peer in PEERS:
    setattr(Differential, "test_against_" + _peer, make_test(_peer))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    args, rest = parser.parse_known_args()
    SERVER = os.path.abspath(args.server)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
