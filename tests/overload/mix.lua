-- tests/overload/mix.lua: wrk's requests for tests/overload/run.
-- args: PREFIX (the API's mount, "/placement"), a file of provider uuids,
-- one per line, and "close" (every request on a new connection, with
-- Connection: close) or "keep-alive" (connections reused).
-- Of every 10 requests: 6 nova allocation candidate queries, 2 reads of a
-- provider's usages, 2 claims for a new consumer (PUT /allocations, 1.36).
-- Each thread counts the statuses it got and keeps one 503 body (whose is
-- it?), and the requests and claims it sent (those unanswered when wrk
-- stops may still be carried out); done() prints them as one JSON line:
--   {"status": {"200": n, ...}, "body503": "...", "errors": {...},
--    "requests": answered, "sent": n, "claims": n, "seconds": s,
--    "p50": us, "p90": us, "p99": us, "max": us}
local threads = {}
local prefix, rps, n = "/placement", {}, 0
local headers = {
  ["OpenStack-API-Version"] = "placement 1.36",
  ["Accept"] = "application/json",
  ["Content-Type"] = "application/json",
}
local AC = "/allocation_candidates?resources=VCPU:1,MEMORY_MB:512,DISK_GB:1"
  .. "&required=!COMPUTE_STATUS_DISABLED&limit=50"

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  prefix = args[1] or prefix
  for line in io.lines(args[2]) do
    if #line > 0 then n = n + 1; rps[n] = line end
  end
  if args[3] == "close" then headers["Connection"] = "close" end
  status = {}
  body503 = ""
  seq = 0
  claims = 0
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end

local function uuid()
  return string.format("%08x-%04x-4%03x-a%03x-%06x%06x",
    math.random(0, 0x7fffffff), math.random(0, 0xffff), math.random(0, 0xfff),
    math.random(0, 0xfff), math.random(0, 0xffffff), math.random(0, 0xffffff))
end

function request()
  seq = seq + 1
  local k = seq % 10
  if k < 6 then
    return wrk.format("GET", prefix .. AC, headers)
  elseif k < 8 then
    return wrk.format("GET", prefix .. "/resource_providers/" .. rps[math.random(n)]
      .. "/usages", headers)
  end
  claims = claims + 1
  local body = string.format('{"allocations": {"%s": {"resources": '
    .. '{"VCPU": 1, "MEMORY_MB": 512, "DISK_GB": 1}}}, "project_id": "overload", '
    .. '"user_id": "overload", "consumer_generation": null}', rps[math.random(n)])
  return wrk.format("PUT", prefix .. "/allocations/" .. uuid(), headers, body)
end

function response(st, hdrs, body)
  status[st] = (status[st] or 0) + 1
  if st == 503 and body503 == "" then body503 = body end
end

local function jstr(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    return string.format("\\u%04x", c:byte()) end) .. '"'
end

function done(summary, latency, requests)
  local total, b503, sent, sentc = {}, "", 0, 0
  for _, t in ipairs(threads) do
    sent = sent + t:get("seq")
    sentc = sentc + t:get("claims")
    for k, v in pairs(t:get("status")) do total[k] = (total[k] or 0) + v end
    local b = t:get("body503")
    if b and #b > 0 and b503 == "" then b503 = b end
  end
  local parts = {}
  for k, v in pairs(total) do table.insert(parts, string.format('"%d": %d', k, v)) end
  local e = summary.errors
  io.write(string.format('{"status": {%s}, "body503": %s, "errors": {"connect": %d, '
    .. '"read": %d, "write": %d, "status": %d, "timeout": %d}, "requests": %d, '
    .. '"sent": %d, "claims": %d, "seconds": %.3f, "p50": %d, "p90": %d, "p99": %d, "max": %d}\n',
    table.concat(parts, ", "), jstr(b503), e.connect, e.read, e.write, e.status,
    e.timeout, summary.requests, sent, sentc, summary.duration / 1e6, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max))
end
