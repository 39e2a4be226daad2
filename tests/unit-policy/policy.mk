# Unit tests of the policy engine and CORS (included by the Makefile):
# `make unit-policy` builds tests/unit-policy/test_policy.c with the pure
# core files it needs under ASan/UBSan and runs it, then runs the
# end-to-end policy-file test against the CGI binary of $(B).
UNIT_POLICY_SRC := tests/unit-policy/test_policy.c common/http/policy.c common/http/policy_rules.c \
                   common/http/cors.c common/util/arena.c common/util/buf.c common/util/config.c
UNIT_POLICY_SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

$(B)/unit-policy/test-policy: $(UNIT_POLICY_SRC) $(wildcard common/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) -O1 -g $(UNIT_POLICY_SAN) -o $@ $(UNIT_POLICY_SRC) -lyaml -linih -ljson-c

unit-policy: $(B)/unit-policy/test-policy $(B)/placement.cgi $(B)/placement-sync
	ASAN_OPTIONS=detect_leaks=1 $(B)/unit-policy/test-policy
	B=$(B) tests/unit-policy/policy-file-test

.PHONY: unit-policy
