package law_test

import (
	"testing"

	"github.com/candor-dev/candor/internal/law"
)

func TestEmbeddedRulesLoad(t *testing.T) {
	reg, err := law.Load()
	if err != nil {
		t.Fatalf("embedded rules:\n%v", err)
	}
	t.Logf("%d rules", len(reg.Rules()))
}
