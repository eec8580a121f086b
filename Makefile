# The two commands README.md promises: `make demo` and `make test`. Both work
# on a fresh machine: `deps` installs what is missing (npm packages from the
# committed lockfiles, and Debian's chromium for the browser tests).

STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
GROQJS      := internal/groq/testdata/groqjs

.PHONY: demo test deps npm lint caddy

demo: npm
	go run ./cmd/cms-realtime-demo

test: deps lint
	# Allocation promises, measured without the race detector's own allocations.
	go test -count=1 -run 'Alloc' ./internal/hub ./internal/transport ./internal/groq ./internal/protocol ./module
	go test -race -count=1 -timeout 60m ./...

lint:
	@unformatted="$$(gofmt -l $$(git ls-files '*.go'))"; \
	if [ -n "$$unformatted" ]; then echo "not gofmt-formatted:"; echo "$$unformatted"; exit 1; fi
	go vet ./...
	go run $(STATICCHECK) ./...

# npm packages from the committed lockfiles (the demo needs only these).
npm:
	@[ -f node_modules/json-server/lib/cli/bin.js ] && [ -d node_modules/json-server-1 ] || npm ci --no-audit --no-fund

# Everything the tests need: npm packages, groq-js for the differential
# test, and Debian's chromium for the browser tests.
deps: npm
	@[ -d $(GROQJS)/node_modules ] || npm ci --no-audit --no-fund --prefix $(GROQJS)
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

caddy:
	go build -o caddy ./cmd/caddy
