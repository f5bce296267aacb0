-- Scenario (b): GET /api/clients/profile/ with the tokens of many different users, in turn.
-- Usage: wrk ... -s profile.lua URL -- TOKENS_FILE   (one token a line, from connecthub-bench-seed)
local requests = {}
local next_index = 0

function init(args)
  for token in io.lines(args[1]) do
    requests[#requests + 1] =
      wrk.format("GET", "/api/clients/profile/", { Authorization = "Bearer " .. token })
  end
  assert(#requests > 0, "no tokens in " .. args[1])
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end
