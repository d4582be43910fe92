# Candor — common tasks. `make test` is the one test command (CI runs it).
.PHONY: build test demo bench bench-import bench-render bench-send clean

build:
	go build -o bin/candor ./cmd/candor

test:
	scripts/test

demo:
	go run ./cmd/candor demo

bench: bench-import bench-render bench-send

bench-import:
	scripts/bench-import

bench-render:
	scripts/bench-render

bench-send:
	scripts/bench-send

clean:
	rm -rf bin candor-demo.db*
