-- deploy-identity.lua: mod_magnet filter for the placement lighttpd
-- configurations (deploy-fcgi.conf, deploy-cgi.conf).
--
-- lighttpd turns a request header into a CGI/FastCGI variable by
-- upper-casing it and mapping every character that is not a letter or a
-- digit to '_': "X_Auth_Token", "X.Auth-Token" and "x~auth~token" all
-- become HTTP_X_AUTH_TOKEN, beside the one the configuration sets.  This
-- removes every header that would land in an identity variable under any
-- spelling other than the canonical one; setenv.set-request-header then
-- sets (or removes) the canonical ones.  Together a client can neither
-- set nor change the identity.
local identity = {
  X_AUTH_TOKEN = "x-auth-token",
  X_ROLES = "x-roles",
  X_PROJECT_ID = "x-project-id",
  OPENSTACK_SYSTEM_SCOPE = "openstack-system-scope",
}
local doomed = {}
for name, _ in pairs(lighty.r.req_header) do
  local var = string.upper((string.gsub(name, "[^%w]", "_")))
  local canonical = identity[var]
  if canonical ~= nil and string.lower(name) ~= canonical then
    doomed[#doomed + 1] = name
  end
end
for _, name in ipairs(doomed) do
  lighty.r.req_header[name] = nil
end
return 0
