-- Scenario (a), the ceiling: GET of a path no route matches, answered 404 with the JSON error by
-- the router alone (no database, no token). Every other figure is divided by this one.
local request_text

function init(args)
  request_text = wrk.format("GET", "/api/no/such/path/")
end

function request()
  return request_text
end
