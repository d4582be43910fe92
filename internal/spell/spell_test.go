package spell

import "testing"

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "", 3}, {"kitten", "sitting", 3}, {"reviewd", "reviewed", 1}, {"same", "same", 0},
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q): got %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestClosest(t *testing.T) {
	known := []string{"deadline", "reviewed", "citations"}
	tests := []struct {
		word  string
		limit int
		want  string
	}{
		{"reviewd", 3, "reviewed"},
		{"citaton", 3, "citations"},
		{"zzzzzzzz", 3, ""},
		{"deadlin", 1, ""}, // one edit is not nearer than a limit of 1
	}
	for _, tt := range tests {
		if got := Closest(tt.word, known, tt.limit); got != tt.want {
			t.Errorf("Closest(%q, %d): got %q, want %q", tt.word, tt.limit, got, tt.want)
		}
	}
}
