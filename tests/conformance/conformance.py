"""Conformance of the pcinbox emulator with Partner Central Selling as botocore knows it.

Drives a running emulator with boto3 and the AWS CLI (listing with paginators, get of every
listed invitation, create with --cli-input-json, accept/reject, idempotency and errors; then
accepting by task through to the engagement and the opportunity) and checks every raw response
body against the service model botocore ships: required members,
enums, patterns, lengths, list sizes, ISO 8601 timestamps, and no member the model lacks.

Then compares pcinbox's own output with the AWS CLI's, byte for byte, for list, get and members
in text and JSON, with and without --query, over several pages (both clients are given the same
page size, so they receive the same pages), also cut short by --max-items (mid-page and at a page
boundary: the same NextToken) and resumed with --starting-token from the token the other printed.

Usage: conformance.py --endpoint URL --aws PATH_TO_AWS_CLI --pcinbox PATH_TO_PCINBOX
Prints one line per failure and a summary `conformance: N passed, M failed`; exits 1 on failure.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import traceback
import uuid

import boto3
import botocore
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.loaders import Loader

SERVICE = "partnercentral-selling"
# The operations pcinbox calls: those of the model subset it embeds.
ASSET = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "assets",
                     "partnercentral-selling-2022-07-26.shapes.json")
with open(ASSET, encoding="utf-8") as asset:
    OPERATIONS = list(json.load(asset)["operations"])
CREDENTIALS = {"aws_access_key_id": "pcinbox-local", "aws_secret_access_key": "pcinbox-local-secret"}
ISO8601 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})")


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = []

    def check(self, condition, what):
        if condition:
            self.passed += 1
        else:
            self.failed.append(what)
            print(f"FAIL: {what}", flush=True)
        return condition


RESULTS = Results()


class ModelChecker:
    """Walks a JSON value against a shape of botocore's service model."""

    def __init__(self, model):
        self.shapes = model["shapes"]
        self.operations = model["operations"]

    def check(self, shape_name, value, path):
        """Returns a list of problems, each naming the path."""
        shape = self.shapes[shape_name]
        kind = shape["type"]
        problems = []
        if kind == "structure":
            if not isinstance(value, dict):
                return [f"{path}: expected an object, got {value!r:.60}"]
            members = shape.get("members", {})
            for name in value:
                if name not in members:
                    problems.append(f"{path}.{name}: not a member of {shape_name}")
            for name in shape.get("required", []):
                if name not in value:
                    problems.append(f"{path}.{name}: required by {shape_name} but missing")
            if shape.get("union") and len(value) != 1:
                problems.append(f"{path}: union {shape_name} must have exactly one member")
            for name, member in members.items():
                if name in value and value[name] is not None:
                    problems += self.check(member["shape"], value[name], f"{path}.{name}")
        elif kind == "list":
            if not isinstance(value, list):
                return [f"{path}: expected a list"]
            if "min" in shape and len(value) < shape["min"]:
                problems.append(f"{path}: fewer than {shape['min']} items")
            if "max" in shape and len(value) > shape["max"]:
                problems.append(f"{path}: more than {shape['max']} items")
            for i, item in enumerate(value):
                problems += self.check(shape["member"]["shape"], item, f"{path}[{i}]")
        elif kind == "string":
            if not isinstance(value, str):
                return [f"{path}: expected a string"]
            if "enum" in shape and value not in shape["enum"]:
                problems.append(f"{path}: {value!r} is not one of {shape_name}")
            if "pattern" in shape and not re.fullmatch(shape["pattern"], value):
                problems.append(f"{path}: {value!r:.80} does not match {shape['pattern']}")
            if "min" in shape and len(value) < shape["min"]:
                problems.append(f"{path}: shorter than {shape['min']}")
            if "max" in shape and len(value) > shape["max"]:
                problems.append(f"{path}: longer than {shape['max']}")
        elif kind in ("integer", "long"):
            if not isinstance(value, int) or isinstance(value, bool):
                return [f"{path}: expected an integer"]
            if "min" in shape and value < shape["min"]:
                problems.append(f"{path}: below {shape['min']}")
            if "max" in shape and value > shape["max"]:
                problems.append(f"{path}: above {shape['max']}")
        elif kind == "timestamp":
            if not (isinstance(value, str) and ISO8601.fullmatch(value)):
                problems.append(f"{path}: {value!r} is not an ISO 8601 timestamp")
        elif kind == "boolean":
            if not isinstance(value, bool):
                problems.append(f"{path}: expected a boolean")
        return problems

    def check_response(self, operation, status, body):
        """Checks a raw response: the output shape on success, the error shape otherwise."""
        op = self.operations[operation]
        if status < 300:
            if "output" not in op:
                return [] if body.strip() in (b"", b"{}") else [f"{operation}: expected an empty body"]
            return self.check(op["output"]["shape"], json.loads(body), operation)
        document = json.loads(body)
        type_id = document.pop("__type", "")
        code = type_id.split("#")[-1].split(":")[0]
        declared = [e["shape"] for e in op.get("errors", [])]
        if code not in declared:
            return [f"{operation}: error {type_id!r} is not declared for the operation"]
        expected_status = self.shapes[code].get("error", {}).get("httpStatusCode")
        problems = self.check(code, document, f"{operation}!{code}")
        if expected_status and expected_status != status:
            problems.append(f"{operation}!{code}: HTTP {status}, the model says {expected_status}")
        return problems


def watch_responses(client, checker):
    """Checks every raw response the client receives against the model."""

    def after_call(http_response, model, **_):
        name = model.name
        problems = checker.check_response(name, http_response.status_code, http_response.content)
        RESULTS.check(not problems, f"{name} response conforms: {problems}")
        RESULTS.check(
            http_response.headers.get("content-type") == "application/x-amz-json-1.0",
            f"{name} content type {http_response.headers.get('content-type')}",
        )
        RESULTS.check(bool(http_response.headers.get("x-amzn-RequestId")), f"{name} request id header")

    client.meta.events.register("after-call.partnercentral-selling", after_call)


def error_code(call):
    """The error code a call fails with, or None if it succeeds."""
    try:
        call()
    except ClientError as e:
        return e.response["Error"]["Code"], e.response
    return None, None


def paginate(client, **params):
    pages = client.get_paginator("list_engagement_invitations").paginate(**params)
    return [s for page in pages for s in page["EngagementInvitationSummaries"]]


def paginate_tasks(client, **params):
    pages = client.get_paginator("list_engagement_by_accepting_invitation_tasks").paginate(**params)
    return [t for page in pages for t in page["TaskSummaries"]]


def paginate_engagements(client, **params):
    pages = client.get_paginator("list_engagements").paginate(**params)
    return [e for page in pages for e in page["EngagementSummaryList"]]


def finished_task(client, task_id, timeout=30):
    """Follows a task (bounded) until it is no longer IN_PROGRESS."""
    deadline = time.monotonic() + timeout
    while True:
        task = client.list_engagement_by_accepting_invitation_tasks(
            Catalog="Sandbox", TaskIdentifier=[task_id])["TaskSummaries"][0]
        if task["TaskStatus"] != "IN_PROGRESS" or time.monotonic() > deadline:
            return task
        time.sleep(0.2)


def aws(cli, endpoint, *args):
    """Runs the AWS CLI against the emulator and returns its JSON output."""
    env = cli_env()
    command = [cli, SERVICE, *args, "--endpoint-url", endpoint, "--output", "json"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:1])} failed ({done.returncode}): {done.stderr.strip()}")
    return json.loads(done.stdout) if done.stdout.strip() else {}


def cli_env():
    """The environment of both command lines: the emulator's keys, no user files, no pager."""
    return dict(os.environ, AWS_ACCESS_KEY_ID=CREDENTIALS["aws_access_key_id"],
                AWS_SECRET_ACCESS_KEY=CREDENTIALS["aws_secret_access_key"],
                AWS_DEFAULT_REGION="us-east-1", AWS_CONFIG_FILE=os.devnull,
                AWS_SHARED_CREDENTIALS_FILE=os.devnull, AWS_PAGER="")


def printed(command, env):
    """What a command prints (stdout bytes), or a description of its failure."""
    done = subprocess.run(command, env=env, capture_output=True, timeout=120)
    if done.returncode != 0:
        return f"exit {done.returncode}: {done.stderr.decode(errors='replace').strip()}".encode()
    return done.stdout


# Queries the AWS CLI's users write, per command; text output applies them to each page. Objects
# a query picks keep the service's key order, those it builds the expression's.
LIST_QUERIES = [
    "EngagementInvitationSummaries[].Id",
    "EngagementInvitationSummaries[].[Id, Status, InvitationDate]",
    "length(EngagementInvitationSummaries)",
    "EngagementInvitationSummaries[?Status=='PENDING'].{Id: Id, Title: EngagementTitle}",
    "EngagementInvitationSummaries[].{Title: EngagementTitle, Receiver: Receiver, Id: Id}",
    "EngagementInvitationSummaries[0]",
    "EngagementInvitationSummaries[].Receiver.Account.AwsAccountId",
    "sort_by(EngagementInvitationSummaries, &EngagementTitle)[].EngagementTitle",
]
GET_QUERIES = [
    "[Id, Status, ExpirationDate]",
    "Payload",
    "Payload.OpportunityInvitation.SenderContacts[].Email",
    "EnrichmentContext",
    "{Id: Id, Members: ExistingMembers[].CompanyName}",
]
MEMBER_QUERIES = [
    "EngagementMemberList[].CompanyName",
    "EngagementMemberList[0]",
    "length(EngagementMemberList)",
]


def invitation_cases(invitations, engagements):
    """The listings, gets and member listings compared with the AWS CLI: (name, AWS CLI
    arguments, pcinbox arguments, queries)."""
    cases = []
    for catalog, participant, page_size, extra in [
        ("Sandbox", "RECEIVER", "7", []),
        ("Sandbox", "SENDER", "3", []),
        ("AWS", "RECEIVER", "10", []),
        ("Sandbox", "RECEIVER", "4", ["--status", "PENDING", "EXPIRED"]),
    ]:
        aws_args = ["list-engagement-invitations", "--catalog", catalog, "--participant-type",
                    participant, "--page-size", page_size, *extra]
        ours_args = ["--catalog", catalog, "list", "--participant-type", participant,
                     "--page-size", page_size, *extra]
        cases.append((f"list {catalog} {participant} pages of {page_size} {extra}", aws_args,
                      ours_args, LIST_QUERIES))
    for catalog, identifier in invitations:
        cases.append((f"get {identifier}",
                      ["get-engagement-invitation", "--catalog", catalog, "--identifier", identifier],
                      ["--catalog", catalog, "get", identifier], GET_QUERIES))
    for engagement in engagements:
        cases.append((f"members {engagement} pages of 3",
                      ["list-engagement-members", "--catalog", "Sandbox", "--identifier", engagement,
                       "--page-size", "3"],
                      ["--catalog", "Sandbox", "members", engagement, "--page-size", "3"],
                      MEMBER_QUERIES))
    return cases


# Queries over a listing `--max-items` cut short: JSON output merges the pages and the NextToken
# before the query, text output meets the token on its own after the pages.
CUT_SHORT_QUERIES = [
    "EngagementInvitationSummaries[].Id",
    "NextToken",
    "{Ids: EngagementInvitationSummaries[].Id, Next: NextToken}",
]


def paging_cases(endpoint, cli, pcinbox, engagements):
    """Listings cut short by --max-items (mid-page and at a page boundary) and resumed with
    --starting-token, each tool given the token the other printed (after checking that both
    print the same token)."""
    list_args = ["--catalog", "Sandbox", "--participant-type", "RECEIVER"]
    aws_list = ["list-engagement-invitations", *list_args]
    ours_list = ["list", *list_args]
    cases = []
    for page_size, max_items, where in [("2", "5", "mid-page"), ("3", "6", "at a page boundary"),
                                        (None, "4", "mid-page of the service's page size")]:
        paging = ["--max-items", max_items] + (["--page-size", page_size] if page_size else [])
        cases.append((f"list cut short {where} {paging}", [*aws_list, *paging], [*ours_list, *paging],
                      CUT_SHORT_QUERIES))
        tokens = {}
        for tool, command in (("aws", [cli, SERVICE, *aws_list]), ("pcinbox", [pcinbox, *ours_list])):
            done = printed([*command, *paging, "--endpoint-url", endpoint, "--output", "json"], aws_env())
            tokens[tool] = None if done.startswith(b"exit ") else json.loads(done).get("NextToken")
        if not RESULTS.check(tokens["aws"] and tokens["aws"] == tokens["pcinbox"],
                             f"pcinbox prints the AWS CLI's NextToken {where}: {tokens}"):
            continue
        # Each tool resumes from the other's token: pcinbox from the AWS CLI's, and back.
        for tool, token in tokens.items():
            resume = ["--starting-token", token, *paging]
            cases.append((f"list resumed {where} from the {tool} token {paging}",
                          [*aws_list, *resume], [*ours_list, *resume], CUT_SHORT_QUERIES[:1]))
    for engagement in engagements:
        for paging in (["--max-items", "2", "--page-size", "3"], ["--max-items", "3", "--page-size", "3"]):
            cases.append((f"members {engagement} cut short {paging}",
                          ["list-engagement-members", "--catalog", "Sandbox", "--identifier", engagement,
                           *paging],
                          ["--catalog", "Sandbox", "members", engagement, *paging],
                          ["EngagementMemberList[].CompanyName", "NextToken"]))
    return cases


def aws_env():
    """The environment of both command lines when compared: see compare_with_the_aws_cli."""
    env = cli_env()
    # The AWS CLI reads its own copy of the service model, older than botocore's: told to use
    # botocore's (AWS_DATA_PATH comes first), it keeps the members a newer model added
    # (EnrichmentContext) instead of dropping them, as an up-to-date AWS CLI does.
    env["AWS_DATA_PATH"] = os.path.join(os.path.dirname(botocore.__file__), "data")
    return env


def compare_with_the_aws_cli(endpoint, cli, pcinbox, cases):
    """pcinbox prints what the AWS CLI prints, byte for byte, for the same pages and query:
    each case is (name, AWS CLI arguments, pcinbox arguments, queries)."""
    env = aws_env()
    home = tempfile.mkdtemp(prefix="pcinbox-conformance-")
    ours_env = dict(env, PCINBOX_HOME=home)
    compared = 0
    for name, aws_args, ours_args, queries in cases:
        for query in [None, *queries]:
            for output in ("text", "json"):
                flags = ["--output", output] + (["--query", query] if query else [])
                theirs = printed([cli, SERVICE, *aws_args, "--endpoint-url", endpoint, *flags], env)
                ours = printed([pcinbox, "--endpoint-url", endpoint, *ours_args, *flags], ours_env)
                what = f"{name} --output {output}" + (f" --query {query!r}" if query else "")
                same = RESULTS.check(theirs == ours and not theirs.startswith(b"exit "),
                                     f"pcinbox prints what the AWS CLI prints: {what}")
                if not same:
                    show_difference(theirs, ours)
                compared += 1
    print(f"compared {compared} outputs with the AWS CLI's", flush=True)


def show_difference(theirs, ours):
    """The first differing line of two outputs."""
    theirs_lines, ours_lines = theirs.decode(errors="replace").splitlines(), ours.decode(errors="replace").splitlines()
    for i, (a, b) in enumerate(zip(theirs_lines, ours_lines)):
        if a != b:
            print(f"  line {i + 1}:\n    aws:     {a[:300]!r}\n    pcinbox: {b[:300]!r}")
            return
    print(f"  aws printed {len(theirs_lines)} lines, pcinbox {len(ours_lines)}: "
          f"{theirs[-200:]!r} vs {ours[-200:]!r}")


def run(endpoint, cli, pcinbox):
    model = Loader().load_service_model(SERVICE, "service-2")
    known = set(model["operations"])
    missing = [op for op in OPERATIONS if op not in known]
    if not RESULTS.check(not missing, f"botocore {botocore.__version__} knows {missing}"):
        return
    checker = ModelChecker(model)
    client = boto3.client(SERVICE, endpoint_url=endpoint, region_name="us-east-1",
                          config=Config(retries={"max_attempts": 1, "mode": "standard"}), **CREDENTIALS)
    unvalidated = boto3.client(SERVICE, endpoint_url=endpoint, region_name="us-east-1",
                               config=Config(retries={"max_attempts": 1, "mode": "standard"},
                                             parameter_validation=False), **CREDENTIALS)
    watch_responses(client, checker)
    watch_responses(unvalidated, checker)

    # Paginated lists: the same rows in the same order whatever the page size.
    listed = {}
    for catalog in ("AWS", "Sandbox"):
        for participant in ("RECEIVER", "SENDER"):
            small = paginate(client, Catalog=catalog, ParticipantType=participant,
                             PaginationConfig={"PageSize": 7})
            large = paginate(client, Catalog=catalog, ParticipantType=participant,
                             PaginationConfig={"PageSize": 100})
            ids = [s["Id"] for s in small]
            RESULTS.check(ids == [s["Id"] for s in large], f"{catalog} {participant}: page sizes agree")
            RESULTS.check(len(set(ids)) == len(ids), f"{catalog} {participant}: no repeats")
            least = 25 if participant == "RECEIVER" else 5
            RESULTS.check(len(ids) >= least, f"{catalog} {participant}: {len(ids)} invitations")
            dates = [s["InvitationDate"] for s in small]
            RESULTS.check(dates == sorted(dates, reverse=True), f"{catalog} {participant}: newest first")
            ascending = paginate(client, Catalog=catalog, ParticipantType=participant,
                                 Sort={"SortOrder": "ASCENDING", "SortBy": "InvitationDate"})
            RESULTS.check([s["Id"] for s in ascending] == ids[::-1], f"{catalog} {participant}: ascending")
            listed[(catalog, participant)] = small

    # Get of every listed invitation.
    for (catalog, _), summaries in listed.items():
        for summary in summaries:
            got = client.get_engagement_invitation(Catalog=catalog, Identifier=summary["Id"])
            RESULTS.check(got["Id"] == summary["Id"] and got["Status"] == summary["Status"],
                          f"get {summary['Id']} matches its summary")

    # Filters.
    received = listed[("Sandbox", "RECEIVER")]
    for status in ("PENDING", "ACCEPTED", "REJECTED", "EXPIRED"):
        rows = paginate(client, Catalog="Sandbox", ParticipantType="RECEIVER", Status=[status],
                        PaginationConfig={"PageSize": 3})
        expected = [s["Id"] for s in received if s["Status"] == status]
        RESULTS.check([s["Id"] for s in rows] == expected and rows, f"Status filter {status}")
    for kind in ("OpportunityInvitation", "LeadInvitation"):
        rows = paginate(client, Catalog="Sandbox", ParticipantType="RECEIVER", PayloadType=[kind])
        expected = [s["Id"] for s in received if s["PayloadType"] == kind]
        RESULTS.check([s["Id"] for s in rows] == expected and rows, f"PayloadType filter {kind}")

    # Members of an engagement the caller belongs to, a page at a time.
    accepted = [s for s in received if s["Status"] == "ACCEPTED"]
    for summary in accepted:
        pages = client.get_paginator("list_engagement_members").paginate(
            Catalog="Sandbox", Identifier=summary["EngagementId"], PaginationConfig={"PageSize": 3})
        members = [m for page in pages for m in page["EngagementMemberList"]]
        RESULTS.check(any(m.get("AccountId") == "111122223333" for m in members),
                      f"members of {summary['EngagementId']} include the caller")

    # Create with the AWS CLI and --cli-input-json.
    engagement = listed[("Sandbox", "SENDER")][0]["EngagementId"]
    document = {
        "Catalog": "Sandbox",
        "EngagementIdentifier": engagement,
        "Invitation": {
            "Message": "Would your team lead the data platform workstream? Details inside.",
            "Receiver": {"Account": {"AwsAccountId": "555566667777", "Alias": "Globex Integrators"}},
            "Payload": {"OpportunityInvitation": {
                "SenderContacts": [{"Email": "alex.rivera@cloudpartners.example.com", "FirstName": "Alex",
                                    "Phone": "+12065550100"}],
                "ReceiverResponsibilities": ["Software Partner"],
                "Customer": {"Industry": "Retail", "CompanyName": "株式会社サクラ",
                             "WebsiteUrl": "https://www.sakura-retail.co.jp", "CountryCode": "JP"},
                "Project": {"BusinessProblem": "Unify store and online inventory in real time for 400 shops.",
                            "Title": "Real-time inventory", "TargetCompletionDate": "2027-03-31",
                            "ExpectedCustomerSpend": [{"Amount": "25000", "CurrencyCode": "JPY",
                                                       "Frequency": "Monthly", "TargetCompany": "AWS"}]}}},
        },
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump(document, f, ensure_ascii=False)
    try:
        created = aws(cli, endpoint, "create-engagement-invitation", "--cli-input-json", f"file://{f.name}")
    finally:
        os.unlink(f.name)
    problems = checker.check("CreateEngagementInvitationResponse", created, "cli create")
    RESULTS.check(not problems, f"CLI create output conforms: {problems}")
    got = client.get_engagement_invitation(Catalog="Sandbox", Identifier=created["Id"])
    RESULTS.check(got["Status"] == "PENDING" and got["Payload"] == document["Invitation"]["Payload"],
                  "created invitation reads back as sent")
    sent = paginate(client, Catalog="Sandbox", ParticipantType="SENDER")
    RESULTS.check(sent[0]["Id"] == created["Id"], "created invitation listed first for SENDER")

    # Idempotency with boto3.
    token = str(uuid.uuid4())
    params = dict(document, ClientToken=token)
    first = client.create_engagement_invitation(**params)
    again = client.create_engagement_invitation(**params)
    RESULTS.check(first["Id"] == again["Id"], "same ClientToken, same parameters: same invitation")
    changed = json.loads(json.dumps(params))
    changed["Invitation"]["Message"] = "Something else entirely"
    code, _ = error_code(lambda: client.create_engagement_invitation(**changed))
    RESULTS.check(code == "ConflictException", f"same ClientToken, other parameters: {code}")

    # Accept and reject (boto3 and the CLI).
    pending = [s for s in received if s["Status"] == "PENDING"]
    client.accept_engagement_invitation(Catalog="Sandbox", Identifier=pending[0]["Id"])
    RESULTS.check(client.get_engagement_invitation(Catalog="Sandbox", Identifier=pending[0]["Id"])["Status"]
                  == "ACCEPTED", "accept makes ACCEPTED")
    code, _ = error_code(lambda: client.accept_engagement_invitation(Catalog="Sandbox",
                                                                     Identifier=pending[0]["Id"]))
    RESULTS.check(code == "ConflictException", f"accepting twice: {code}")
    aws(cli, endpoint, "reject-engagement-invitation", "--catalog", "Sandbox",
        "--identifier", pending[1]["Arn"], "--rejection-reason", "No capacity this quarter")
    got = client.get_engagement_invitation(Catalog="Sandbox", Identifier=pending[1]["Id"])
    RESULTS.check(got["Status"] == "REJECTED" and got.get("RejectionReason") == "No capacity this quarter",
                  "CLI reject makes REJECTED with the reason")
    aws(cli, endpoint, "accept-engagement-invitation", "--catalog", "Sandbox", "--identifier", pending[2]["Id"])
    RESULTS.check(client.get_engagement_invitation(Catalog="Sandbox", Identifier=pending[2]["Id"])["Status"]
                  == "ACCEPTED", "CLI accept makes ACCEPTED")

    # Errors.
    code, response = error_code(lambda: client.get_engagement_invitation(Catalog="Sandbox",
                                                                         Identifier="engi-zzzzzzzzzzzzz"))
    RESULTS.check(code == "ResourceNotFoundException"
                  and response["ResponseMetadata"]["HTTPStatusCode"] == 404, f"unknown id: {code}")
    # Passes botocore's own checks (it does not check patterns) but not the service's.
    code, response = error_code(lambda: client.get_engagement_invitation(Catalog="Sandbox", Identifier="engi-BAD"))
    fields = [e.get("FieldName") for e in (response or {}).get("ErrorList", [])]
    RESULTS.check(code == "ValidationException" and fields == ["Identifier"]
                  and response.get("Reason") == "REQUEST_VALIDATION_FAILED", f"bad identifier: {code} {fields}")
    code, response = error_code(lambda: unvalidated.list_engagement_invitations(
        Catalog="Sandbox", ParticipantType="RECEIVER", MaxResults=0))
    fields = [e.get("FieldName") for e in (response or {}).get("ErrorList", [])]
    RESULTS.check(code == "ValidationException" and fields == ["MaxResults"], f"MaxResults 0: {code} {fields}")
    code, response = error_code(lambda: unvalidated.list_engagement_invitations(Catalog="Sandbox"))
    fields = [e.get("FieldName") for e in (response or {}).get("ErrorList", [])]
    RESULTS.check(code == "ValidationException" and fields == ["ParticipantType"],
                  f"missing ParticipantType: {code} {fields}")

    # The AWS CLI's own pagination and output.
    everything = aws(cli, endpoint, "list-engagement-invitations", "--catalog", "Sandbox",
                     "--participant-type", "RECEIVER")
    RESULTS.check([s["Id"] for s in everything["EngagementInvitationSummaries"]]
                  == [s["Id"] for s in paginate(client, Catalog="Sandbox", ParticipantType="RECEIVER")],
                  "CLI lists every received invitation")
    first_five = aws(cli, endpoint, "list-engagement-invitations", "--catalog", "Sandbox",
                     "--participant-type", "RECEIVER", "--max-items", "5", "--page-size", "2")
    RESULTS.check(len(first_five["EngagementInvitationSummaries"]) == 5 and "NextToken" in first_five,
                  "CLI --max-items stops with a NextToken")
    for summary in everything["EngagementInvitationSummaries"]:
        problems = checker.check("EngagementInvitationSummary", summary, "cli summary")
        RESULTS.check(not problems, f"CLI summary {summary['Id']} conforms: {problems}")

    # pcinbox's own output against the AWS CLI's: an opportunity and a lead (the first with
    # prospecting insights), and an engagement with more than one page of members.
    samples = []
    for kind in ("OpportunityInvitation", "LeadInvitation"):
        of_kind = [s for s in received if s["PayloadType"] == kind]
        samples += [("Sandbox", s["Id"]) for s in of_kind[:2]]
    samples.append(("Sandbox", pending[1]["Arn"]))
    engagements = [s["EngagementId"] for s in accepted[:2]]
    compare_with_the_aws_cli(endpoint, cli, pcinbox, invitation_cases(samples, engagements))
    compare_with_the_aws_cli(endpoint, cli, pcinbox, paging_cases(endpoint, cli, pcinbox, engagements))

    accept_by_task(client, unvalidated, checker, cli, endpoint, pcinbox, rejected=pending[1])


def accept_by_task(client, unvalidated, checker, cli, endpoint, pcinbox, rejected):
    """StartEngagementByAcceptingInvitationTask through to the engagement and the opportunity."""
    opportunities = [s for s in paginate(client, Catalog="Sandbox", ParticipantType="RECEIVER",
                                         Status=["PENDING"], PayloadType=["OpportunityInvitation"])]
    if not RESULTS.check(len(opportunities) >= 2, f"{len(opportunities)} pending opportunity invitations"):
        return
    invitation = client.get_engagement_invitation(Catalog="Sandbox", Identifier=opportunities[0]["Id"])
    engagement_id = invitation["EngagementId"]
    before = client.get_engagement(Catalog="Sandbox", Identifier=engagement_id)

    # boto3 fills the ClientToken; the same token again is the same task.
    token = str(uuid.uuid4())
    started = client.start_engagement_by_accepting_invitation_task(
        Catalog="Sandbox", Identifier=invitation["Id"], ClientToken=token,
        Tags=[{"Key": "team", "Value": "east"}])
    RESULTS.check(started["TaskStatus"] == "IN_PROGRESS" and started["EngagementInvitationId"] == invitation["Id"],
                  f"a started task is IN_PROGRESS: {started.get('TaskStatus')}")
    again = client.start_engagement_by_accepting_invitation_task(
        Catalog="Sandbox", Identifier=invitation["Id"], ClientToken=token,
        Tags=[{"Key": "team", "Value": "east"}])
    RESULTS.check(again["TaskId"] == started["TaskId"], "same ClientToken: same task")
    code, _ = error_code(lambda: client.start_engagement_by_accepting_invitation_task(
        Catalog="Sandbox", Identifier=invitation["Id"], ClientToken=token))
    RESULTS.check(code == "ConflictException", f"same ClientToken, other parameters: {code}")

    task = finished_task(client, started["TaskId"])
    RESULTS.check(task["TaskStatus"] == "COMPLETE" and bool(re.fullmatch(r"O\d+", task.get("OpportunityId", ""))),
                  f"the task completes with an opportunity: {task}")
    got = client.get_engagement_invitation(Catalog="Sandbox", Identifier=invitation["Id"])
    RESULTS.check(got["Status"] == "ACCEPTED", f"the task accepted the invitation: {got['Status']}")

    opportunity = client.get_opportunity(Catalog="Sandbox", Identifier=task["OpportunityId"])
    payload = invitation["Payload"]["OpportunityInvitation"]
    RESULTS.check(opportunity["Customer"]["Account"]["CompanyName"] == payload["Customer"]["CompanyName"]
                  and opportunity["Project"]["Title"] == payload["Project"]["Title"],
                  "the opportunity carries the invitation's customer and project")

    after = client.get_engagement(Catalog="Sandbox", Identifier=engagement_id)
    members = [m for page in client.get_paginator("list_engagement_members").paginate(
        Catalog="Sandbox", Identifier=engagement_id) for m in page["EngagementMemberList"]]
    RESULTS.check(after["MemberCount"] == before["MemberCount"] + 1 == len(members),
                  f"the member count grows by the caller: {before['MemberCount']} -> {after['MemberCount']}")
    small = paginate_engagements(client, Catalog="Sandbox", PaginationConfig={"PageSize": 2})
    large = paginate_engagements(client, Catalog="Sandbox", PaginationConfig={"PageSize": 100})
    RESULTS.check([e["Id"] for e in small] == [e["Id"] for e in large], "engagement page sizes agree")
    RESULTS.check(any(e["Id"] == engagement_id and e["MemberCount"] == after["MemberCount"] for e in small),
                  "the joined engagement is listed with its member count")

    # A task for an invitation that is not PENDING fails; the AWS CLI fills its own token.
    failed = aws(cli, endpoint, "start-engagement-by-accepting-invitation-task", "--catalog", "Sandbox",
                 "--identifier", rejected["Id"])
    problems = checker.check("StartEngagementByAcceptingInvitationTaskResponse", failed, "cli start")
    RESULTS.check(not problems, f"CLI start output conforms: {problems}")
    task = finished_task(client, failed["TaskId"])
    RESULTS.check(task["TaskStatus"] == "FAILED" and task.get("ReasonCode") == "EngagementInvitationConflict"
                  and bool(task.get("Message")), f"a task for a REJECTED invitation fails: {task}")

    # The AWS CLI reads the rest, with its own pagination.
    listed = aws(cli, endpoint, "list-engagement-by-accepting-invitation-tasks", "--catalog", "Sandbox",
                 "--page-size", "1")
    RESULTS.check({t["TaskId"] for t in listed["TaskSummaries"]} == {started["TaskId"], failed["TaskId"]},
                  f"CLI lists both tasks: {listed}")
    RESULTS.check([t["TaskId"] for t in paginate_tasks(client, Catalog="Sandbox", TaskStatus=["FAILED"])]
                  == [failed["TaskId"]], "TaskStatus filter")
    RESULTS.check([t["TaskId"] for t in paginate_tasks(client, Catalog="Sandbox",
                                                      EngagementInvitationIdentifier=[invitation["Id"]])]
                  == [started["TaskId"]], "EngagementInvitationIdentifier filter")
    for command, arguments, shape in (
        ("get-engagement", ["--identifier", engagement_id], "GetEngagementResponse"),
        ("get-opportunity", ["--identifier", opportunity["Id"]], "GetOpportunityResponse"),
        ("list-engagements", [], "ListEngagementsResponse"),
    ):
        output = aws(cli, endpoint, command, "--catalog", "Sandbox", *arguments)
        problems = checker.check(shape, output, f"cli {command}")
        RESULTS.check(not problems, f"CLI {command} output conforms: {problems}")

    # pcinbox's own output of the same against the AWS CLI's.
    compare_with_the_aws_cli(endpoint, cli, pcinbox, [
        (f"engagement {engagement_id}",
         ["get-engagement", "--catalog", "Sandbox", "--identifier", engagement_id],
         ["--catalog", "Sandbox", "engagement", engagement_id],
         ["[Title, MemberCount, Contexts[].Type]"]),
        (f"opportunity {opportunity['Id']}",
         ["get-opportunity", "--catalog", "Sandbox", "--identifier", opportunity["Id"]],
         ["--catalog", "Sandbox", "opportunity", opportunity["Id"]], []),
        ("engagements", ["list-engagements", "--catalog", "Sandbox"],
         ["--catalog", "Sandbox", "engagements"],
         ["EngagementSummaryList[?MemberCount > `2`].Id"]),
        ("engagements cut short", ["list-engagements", "--catalog", "Sandbox", "--max-items", "3",
                                   "--page-size", "2"],
         ["--catalog", "Sandbox", "engagements", "--max-items", "3", "--page-size", "2"],
         ["NextToken"]),
        ("tasks cut short", ["list-engagement-by-accepting-invitation-tasks", "--catalog", "Sandbox",
                             "--max-items", "1"],
         ["--catalog", "Sandbox", "tasks", "--max-items", "1"],
         ["TaskSummaries[].TaskId"]),
        ("tasks", ["list-engagement-by-accepting-invitation-tasks", "--catalog", "Sandbox"],
         ["--catalog", "Sandbox", "tasks"],
         ["TaskSummaries[].[TaskId, TaskStatus, ReasonCode]"]),
    ])

    # Errors.
    code, response = error_code(lambda: client.get_opportunity(Catalog="Sandbox", Identifier="O999"))
    RESULTS.check(code == "ResourceNotFoundException"
                  and response["ResponseMetadata"]["HTTPStatusCode"] == 404, f"unknown opportunity: {code}")
    code, response = error_code(lambda: client.get_opportunity(Catalog="Sandbox", Identifier="opp-1"))
    fields = [e.get("FieldName") for e in (response or {}).get("ErrorList", [])]
    RESULTS.check(code == "ValidationException" and fields == ["Identifier"], f"bad opportunity id: {code}")
    code, _ = error_code(lambda: client.start_engagement_by_accepting_invitation_task(
        Catalog="Sandbox", Identifier="engi-zzzzzzzzzzzzz"))
    RESULTS.check(code == "ResourceNotFoundException", f"task for an unknown invitation: {code}")
    code, response = error_code(lambda: unvalidated.list_engagement_by_accepting_invitation_tasks(
        Catalog="Sandbox", TaskStatus=["DONE"]))
    fields = [e.get("FieldName") for e in (response or {}).get("ErrorList", [])]
    RESULTS.check(code == "ValidationException" and fields == ["TaskStatus[0]"], f"unknown task status: {fields}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--aws", required=True, help="path to the AWS CLI")
    parser.add_argument("--pcinbox", required=True, help="path to the pcinbox binary")
    args = parser.parse_args()
    print(f"boto3 {boto3.__version__}, botocore {botocore.__version__}, endpoint {args.endpoint}", flush=True)
    try:
        run(args.endpoint, args.aws, args.pcinbox)
    except Exception:  # a crash is a failure too, with its story
        RESULTS.check(False, "conformance run crashed:\n" + traceback.format_exc())
    print(f"conformance: {RESULTS.passed} passed, {len(RESULTS.failed)} failed")
    sys.exit(1 if RESULTS.failed else 0)


if __name__ == "__main__":
    main()
