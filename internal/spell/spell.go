// Package spell finds the known word closest to a misspelt one, for the
// "did you mean" in error messages about rule files and templates.
package spell

// Distance returns the Levenshtein edit distance between a and b, counted
// in bytes.
func Distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Closest returns the word of known nearest to word, or "" when none is
// nearer than limit edits. Ties go to the earlier word.
func Closest(word string, known []string, limit int) string {
	best, bestD := "", limit
	for _, k := range known {
		if d := Distance(word, k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}
