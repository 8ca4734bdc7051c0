-- wrk script: cycles through the paths listed (one per line) in the file named
-- by BENCH_PATHS, then prints one JSON line with the figures bench/run.py reads.
local paths = {}
local counter = 0

local function load_paths()
  local file = os.getenv("BENCH_PATHS")
  if file then
    for line in io.lines(file) do
      if #line > 0 then paths[#paths + 1] = line end
    end
  end
end

init = function(args)
  load_paths()
  counter = math.random(1, math.max(#paths, 1))
end

request = function()
  if #paths == 0 then
    return wrk.format("GET")
  end
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests":%d,"bytes":%d,"duration_us":%d,"non2xx":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},"rps":%.2f,"latency_us":{"p50":%d,"p95":%d,"p99":%d,"max":%d}}\n',
    summary.requests, summary.bytes, summary.duration, errors.status, errors.connect, errors.read,
    errors.write, errors.status, errors.timeout,
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
