-- wrk script of tests/bench/bench.py: counts the answers whose status is not the expected
-- one (wrk itself counts only statuses above 399: a redirect to the login page would pass
-- for a success), and prints one JSON line with the figures.
--
--   wrk ... -s wrk.lua URL -- EXPECT [FILE THREADS LIMIT]
--
-- EXPECT: the expected status (200, 303…). Without FILE, every request is wrk's own (the
-- URL and the -H headers). With FILE: raw requests, one per line, CR LF written as TAB;
-- thread k of THREADS sends lines k, k+THREADS, … in turn, starting over at the end of
-- its share, and stops after LIMIT answers (0: its share once).

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("id", #threads)
end

-- per thread
bad = 0
bad_codes = ""
local codes = {}
local expect = 200
local reqs = nil
local nreqs = 0
local sent = 0
local scheduled = 0
local answered = 0
local limit = 0
local verifying = false

function init(args)
   expect = tonumber(args[1] or "200")
   if args[2] then
      local nthreads = tonumber(args[3])
      reqs = {}
      local i = 0
      for line in io.lines(args[2]) do
         if i % nthreads == id - 1 then
            table.insert(reqs, (line:gsub("\t", "\r\n")))
         end
         i = i + 1
      end
      nreqs = #reqs
      limit = tonumber(args[4] or "0")
      if limit == 0 then
         limit = nreqs
      end
      -- wrk calls request() once on the first thread before the run, to check the
      -- request: that call must not use up a request
      verifying = (id == 1)
   else
      -- wrk's own request; no delay() (each call would cost a timer)
      request = nil
      delay = nil
   end
end

function delay()
   -- called before each request() of a connection, possibly long before it (wrk asks
   -- every ready connection first): count here. A connection with nothing left to send
   -- waits (the thread stops before the hour).
   if scheduled >= limit then
      return 3600000
   end
   scheduled = scheduled + 1
   return 0
end

function request()
   if verifying then
      verifying = false
      return reqs[1]
   end
   local r = reqs[(sent % nreqs) + 1]
   sent = sent + 1
   return r
end

function response(status, headers, body)
   if status ~= expect then
      bad = bad + 1
      codes[status] = (codes[status] or 0) + 1
      local parts = {}
      for code, n in pairs(codes) do
         table.insert(parts, code .. ":" .. n)
      end
      bad_codes = table.concat(parts, ",")
   end
   if reqs then
      answered = answered + 1
      if answered == limit then
         -- bench.py reads this line and interrupts wrk's main thread (which otherwise
         -- sleeps for the whole -d duration)
         io.write("BENCH-THREAD-DONE\n")
         io.flush()
         wrk.thread:stop()
      end
   end
end

function done(summary, latency, requests)
   local bad_total, codes_all = 0, {}
   for _, t in ipairs(threads) do
      bad_total = bad_total + t:get("bad")
      local c = t:get("bad_codes")
      if c ~= "" then
         table.insert(codes_all, c)
      end
   end
   local e = summary.errors
   io.write(string.format(
      'BENCH-JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
      '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, ' ..
      '"connect": %d, "read": %d, "write": %d, "timeout": %d, "status_4xx5xx": %d, ' ..
      '"unexpected": %d, "unexpected_codes": "%s"}\n',
      summary.requests, summary.duration, summary.bytes,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      e.connect, e.read, e.write, e.timeout, e.status, bad_total,
      table.concat(codes_all, ",")))
end
