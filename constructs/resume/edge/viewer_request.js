// The site's viewer-request function (CloudFront Functions, cloudfront-js-2.0).
//
// CloudFront with Origin Access Control reads S3's REST endpoint, which resolves no index
// documents: without this, every pretty URL of a generated site ("/blog", "/blog/") is a
// 404. It rewrites, in place (no redirect, no extra round trip):
//   /blog/  -> /blog/index.html      a folder
//   /blog   -> /blog/index.html      a last segment without a dot: a folder too
//   /a.css  -> /a.css                a file: untouched
// and redirects a host listed in CONFIG.redirectHosts (www. to the apex, or the reverse)
// with 301, path and query kept. The local cloud runs this same file under Node for every
// request (resume_tools/local_cloud/edge_function.py), so the two cannot drift.
// The deploy fills in the CONFIG line (resume/edge_code.py); keep it the first statement.
var CONFIG = {"extensionless": "index", "redirectHosts": {}};

function handler(event) {
    var request = event.request;
    var host = request.headers.host ? request.headers.host.value.toLowerCase() : "";
    // Own keys only: a Host of "constructor" must not find Object's.
    var canonical = Object.prototype.hasOwnProperty.call(CONFIG.redirectHosts, host) &&
        CONFIG.redirectHosts[host];
    if (canonical) {
        return {
            statusCode: 301,
            statusDescription: "Moved Permanently",
            headers: {location: {value: "https://" + canonical + request.uri + query(request.querystring)}},
        };
    }
    var uri = request.uri;
    if (uri.indexOf("/.well-known/") === 0) {
        return request;
    }
    if (uri.charAt(uri.length - 1) === "/") {
        request.uri = uri + "index.html";
    } else if (uri.slice(uri.lastIndexOf("/") + 1).indexOf(".") === -1) {
        request.uri = uri + (CONFIG.extensionless === "html" ? ".html" : "/index.html");
    }
    return request;
}

// The query string as the viewer sent it: CloudFront hands it over parsed.
function query(querystring) {
    var parts = [];
    for (var name in querystring) {
        var entry = querystring[name];
        var values = entry.multiValue ? entry.multiValue : [entry];
        for (var i = 0; i < values.length; i++) {
            parts.push(values[i].value === "" ? name : name + "=" + values[i].value);
        }
    }
    return parts.length ? "?" + parts.join("&") : "";
}
