"""The HTTP API in front of the counter: routes, throttled stage, access logs.

HTTP APIs throttle route by route: the stage's settings give each route its own token bucket
(AWS's HTTP API guide, "Route-level throttling"), so with one default for four routes the
API would take four times the configured ceiling. Each route gets its own settings instead,
its share (visitor_counter.routes) of the configured burst and rate, summing to them.

CORS has one owner, the function: the API has no cors_configuration. With one, API Gateway
answers preflights itself and drops the CORS headers the integration returns (AWS's HTTP API
guide, "Configuring CORS"); without one, OPTIONS reaches the function through the ANY
routes, so the answers a browser sees are the handler's, locally and in AWS alike.
"""

from __future__ import annotations

import json

from cdktf_cdktf_provider_aws.apigatewayv2_api import Apigatewayv2Api
from cdktf_cdktf_provider_aws.apigatewayv2_integration import Apigatewayv2Integration
from cdktf_cdktf_provider_aws.apigatewayv2_route import Apigatewayv2Route
from cdktf_cdktf_provider_aws.apigatewayv2_stage import (
    Apigatewayv2Stage,
    Apigatewayv2StageAccessLogSettings,
    Apigatewayv2StageRouteSettings,
)
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction
from cdktf_cdktf_provider_aws.lambda_permission import LambdaPermission

from constructs import Construct
from resume.checkov import accept_findings
from resume.counter_function import LOG_GROUP_FINDINGS
from resume.route_throttles import route_throttles
from visitor_counter.routes import ROUTES

# The handler routes and answers every method itself (405 with Allow, 404, the preflight):
# catch-all routes on its paths keep those answers in one place. A path no route takes is
# answered 404 by API Gateway, without invoking the function.
ROUTE_KEYS = tuple(route.key for route in ROUTES)
# One line per request, billed by the byte: what tells a failed request apart and why.
# The request id (the function's own line carries it when it is not routine), the route
# API Gateway matched (or "-": no route, answered 404 without the function), the status,
# and the integration's error message (a timed-out, throttled or failed invocation, a
# missing permission; "-" when none). Left out: the time (every CloudWatch log event has
# its own timestamp), the method (the routes are ANY; the function's line has the outcome,
# or the method in its full line), the latency (the API's Latency and IntegrationLatency
# metrics, the function's HandlerLatency). Never $context.identity: no visitor's address
# or User-Agent.
ACCESS_LOG_FORMAT = json.dumps(
    {
        "requestId": "$context.requestId",
        "route": "$context.routeKey",
        "status": "$context.status",
        "integrationError": "$context.integrationErrorMessage",
    },
    separators=(",", ":"),
)


class CounterApi(Construct):
    """HTTP API -> Lambda (payload 2.0), throttled $default stage; CORS is the function's."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        api_name: str,
        function: LambdaFunction,
        burst_limit: int,
        rate_limit_rps: float,
        log_retention_days: int,
    ) -> None:
        super().__init__(scope, id_)
        self.api = Apigatewayv2Api(
            self,
            "api",
            name=api_name,
            protocol_type="HTTP",
        )
        integration = Apigatewayv2Integration(
            self,
            "integration",
            api_id=self.api.id,
            integration_type="AWS_PROXY",
            integration_uri=function.invoke_arn,
            payload_format_version="2.0",
        )
        routes = []
        for route_key in ROUTE_KEYS:
            route = Apigatewayv2Route(
                self,
                _route_id(route_key),
                api_id=self.api.id,
                route_key=route_key,
                target=f"integrations/{integration.id}",
            )
            accept_findings(
                route,
                {
                    "CKV_AWS_309": "A public visitor counter: anonymous by design, throttled "
                    "route by route, CORS-limited to the site's origins."
                },
            )
            routes.append(route)
        self.access_logs = CloudwatchLogGroup(
            self,
            "access-logs",
            name=f"/aws/apigateway/{api_name}",
            retention_in_days=log_retention_days,
        )
        accept_findings(self.access_logs, LOG_GROUP_FINDINGS)
        self.stage = Apigatewayv2Stage(
            self,
            "stage",
            api_id=self.api.id,
            name="$default",
            auto_deploy=True,
            # Every route has its own settings, which replace the stage's default route
            # settings for it: a default would apply to no route, so the stage sets none.
            route_settings=[
                Apigatewayv2StageRouteSettings(
                    route_key=route_key,
                    throttling_burst_limit=throttle.burst,
                    throttling_rate_limit=throttle.rate_rps,
                )
                for route_key, throttle in route_throttles(burst_limit, rate_limit_rps).items()
            ],
            access_log_settings=Apigatewayv2StageAccessLogSettings(
                destination_arn=self.access_logs.arn, format=ACCESS_LOG_FORMAT
            ),
            # AWS refuses settings for a route key the API does not have yet.
            depends_on=routes,
        )
        LambdaPermission(
            self,
            "invoke",
            action="lambda:InvokeFunction",
            function_name=function.function_name,
            principal="apigateway.amazonaws.com",
            # Only this API may invoke the function, through any of its routes.
            source_arn=f"{self.api.execution_arn}/*/*",
        )
        self.url = self.api.api_endpoint


def _route_id(route_key: str) -> str:
    """Stable construct id per route; "ANY /" keeps the id it had before the page routes."""
    path = route_key.split()[1].strip("/").replace("{page+}", "page").replace("{route+}", "route")
    return "route-any" + (f"-{path.replace('/', '-')}" if path else "")
