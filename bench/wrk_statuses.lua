-- wrk script for bench/outages.py: cycles through the paths in the file named
-- by BENCH_PATHS and counts answers by HTTP status over every thread; prints
-- one JSON line (requests, statuses, socket errors, latency).
local paths = {}
local counter = 0
local threads = {}

setup = function(thread)
  table.insert(threads, thread)
end

init = function(args)
  statuses = {}
  local file = os.getenv("BENCH_PATHS")
  if file then
    for line in io.lines(file) do
      if #line > 0 then paths[#paths + 1] = line end
    end
  end
  counter = math.random(1, math.max(#paths, 1))
end

request = function()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(total) do
    parts[#parts + 1] = string.format('"%d":%d', status, count)
  end
  local errors = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"statuses":{%s},"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},"latency_us":{"p50":%d,"p99":%d,"max":%d}}\n',
    summary.requests, summary.duration, table.concat(parts, ","), errors.connect,
    errors.read, errors.write, errors.timeout, latency:percentile(50),
    latency:percentile(99), latency.max))
end
