# Candor — common tasks. `make test` is the one test command (CI runs it).
.PHONY: build test demo bench-import clean

build:
	go build -o bin/candor ./cmd/candor

test:
	scripts/test

demo:
	go run ./cmd/candor demo

bench-import:
	scripts/bench-import

clean:
	rm -rf bin candor-demo.db*
