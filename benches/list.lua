-- wrk script for benches/run.sh: the first page (MaxResults 100) of ListEngagementInvitations,
-- as the AWS CLI sends it. The emulator accepts any well-formed SigV4 Authorization header.
-- No Lua callbacks per request, so wrk spends its CPU on load; it reports non-2xx answers itself.
wrk.method = "POST"
wrk.path = "/"
wrk.body = '{"Catalog":"Sandbox","ParticipantType":"RECEIVER","MaxResults":100}'
wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
wrk.headers["X-Amz-Target"] = "AWSPartnerCentralSelling.ListEngagementInvitations"
wrk.headers["X-Amz-Date"] = "20260101T000000Z"
wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 "
    .. "Credential=pcinbox-local/20260101/us-east-1/partnercentral-selling/aws4_request, "
    .. "SignedHeaders=host;x-amz-date;x-amz-target, "
    .. "Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
