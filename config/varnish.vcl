vcl 4.1;

# Varnish in front of Corroborate (docs/deployment.md). The application says what a
# response may be kept for (Cache-Control: s-maxage, stale-while-revalidate,
# stale-if-error), names every record it shows in its `xkey` header, and after each
# committed change sends PURGE with the keys to purge (reader/edge.py). This file only
# follows those headers; `manage.py serve_edge` starts it with gunicorn behind it and
# sets the backend's port below.

import std;
import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    # Whether the application answers: while it does not, readers get the last good
    # page for as long as its stale-if-error allows.
    .probe = {
        .url = "/robots.txt";
        .interval = 1s;
        .timeout = 1s;
        .window = 3;
        .threshold = 2;
    }
}

# Only the application's own machines may purge.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Purging is for the application."));
        }
        if (req.http.xkey-purge) {
            set req.http.n-gone = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Purged " + req.http.n-gone + " objects"));
        }
        return (synth(400, "Name the keys to purge in the xkey-purge header."));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The admin, and anyone signed in (curators previewing drafts) or with messages
    # waiting, go to the application every time; their answers are private anyway.
    if (req.url ~ "^/admin" || req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    # Public pages read no cookie: one copy serves every reader.
    unset req.http.Cookie;
    unset req.http.Authorization;
    # A page found past its stale-while-revalidate while the application answers is
    # fetched again at once (vcl_hit restarts the request with this mark).
    if (req.restarts == 0) {
        unset req.http.X-Fetch-Now;
    } else if (req.http.X-Fetch-Now) {
        set req.hash_always_miss = true;
    }
}

sub vcl_hit {
    if (obj.ttl >= 0s) {
        return (deliver);
    }
    # Stale: within stale-while-revalidate it is served while Varnish fetches it again
    # in the background; past it, with the application up, it is fetched now; with the
    # application down it is served for as long as its grace (stale-if-error) lasts.
    if (std.healthy(req.backend_hint)
        && obj.ttl + std.duration(obj.http.X-Stale-While-Revalidate, 0s) < 0s) {
        set req.http.X-Fetch-Now = "1";
        return (restart);
    }
    return (deliver);
}

sub vcl_backend_response {
    # How long a stale page may be served while it is fetched again, and, as the grace,
    # the longest it may be served at all (stale-if-error, which Varnish does not read
    # itself), both from the application's Cache-Control.
    set beresp.http.X-Stale-While-Revalidate = "0s";
    if (beresp.http.Cache-Control ~ "stale-while-revalidate=[0-9]+") {
        set beresp.http.X-Stale-While-Revalidate = regsub(
            beresp.http.Cache-Control, ".*stale-while-revalidate=([0-9]+).*", "\1s");
    }
    if (beresp.http.Cache-Control ~ "stale-if-error=[0-9]+") {
        set beresp.grace = std.duration(
            regsub(beresp.http.Cache-Control, ".*stale-if-error=([0-9]+).*", "\1s"),
            beresp.grace
        );
    }
    # A failed fetch in the background keeps the stale page instead of an error.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    # Private and no-store answers (drafts, the admin, anyone signed in) are never
    # kept: the built-in rules that follow make them uncacheable.
}

sub vcl_deliver {
    # The keys are for purging here, not for readers, as is the mark above.
    unset resp.http.xkey;
    unset resp.http.X-Stale-While-Revalidate;
    if (obj.hits > 0) {
        set resp.http.X-Varnish-Cache = "hit";
    } else {
        set resp.http.X-Varnish-Cache = "miss";
    }
}
