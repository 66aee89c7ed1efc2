// The site's /api/* function (CloudFront Functions, cloudfront-js-2.0), on the way to the
// counter's HTTP API, whose routes start at "/":
//   /api/            -> /             the original contract (POST / counts the site)
//   /api/pages/%2F   -> /pages/%2F
// and it names the host the viewer asked for (the site's own, whatever its CloudFront
// name) in CONFIG.hostHeader, and the viewer's address in CONFIG.addressHeader (API
// Gateway sees CloudFront's), each replacing any the viewer sent: the counter believes
// them only with the distribution's origin secret (visitor_counter/viewer.py).
// The local cloud runs this same file under Node. The deploy fills in the CONFIG line
// (resume/edge_code.py); keep it the first statement.
var CONFIG = {"addressHeader": "x-viewer-address", "hostHeader": "x-viewer-host", "prefix": "/api"};

function handler(event) {
    var request = event.request;
    if (request.uri.indexOf(CONFIG.prefix + "/") === 0) {
        request.uri = request.uri.slice(CONFIG.prefix.length);
    }
    var host = request.headers.host ? request.headers.host.value.toLowerCase() : "";
    request.headers[CONFIG.hostHeader] = {value: host};
    request.headers[CONFIG.addressHeader] = {value: event.viewer.ip};
    return request;
}
