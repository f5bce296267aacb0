-- Scenarios (c), (d), (e) and the chain check: requests that each use up one line of a data file
-- (a login or register code is good once; a user activates a code once). Each run takes its own
-- slice of the file, so no line is sent twice; past the slice the requests wrap round, and the
-- repeats show up in wrk's "Non-2xx" count (for PATCH: as idempotent 200s), which bench/run checks.
-- Usage: wrk -t1 ... -s consume.lua URL -- KIND FILE FIRST COUNT
--   KIND login | register: lines "PHONE CODE" -> POST /api/login/ | /api/register/ (step 2)
--   KIND activate: lines "TOKEN INVITATION_CODE" -> PATCH /api/clients/profile/
local requests = {}
local next_index = 0

local function format(kind, a, b)
  if kind == "activate" then
    return wrk.format("PATCH", "/api/clients/profile/",
      { Authorization = "Bearer " .. a, ["Content-Type"] = "application/json" },
      '{"invitation_code":"' .. b .. '"}')
  end
  return wrk.format("POST", "/api/" .. kind .. "/", { ["Content-Type"] = "application/json" },
    '{"phone":"' .. a .. '","sms_code":"' .. b .. '"}')
end

function init(args)
  local kind, file = args[1], args[2]
  local first, count = tonumber(args[3]) or 1, tonumber(args[4]) or math.huge
  local line_number = 0
  for line in io.lines(file) do
    line_number = line_number + 1
    if line_number >= first and #requests < count then
      local a, b = line:match("^(%S+) (%S+)$")
      requests[#requests + 1] = format(kind, a, b)
    end
  end
  assert(#requests > 0, "no lines from " .. first .. " in " .. file)
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end
