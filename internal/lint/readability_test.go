package lint

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Syllable counts from dictionary syllabification (Merriam-Webster).
var knownSyllables = map[string]int{
	"the": 1, "quick": 1, "brown": 1, "over": 2, "lazy": 2, "readability": 5, "simple": 2,
	"beautiful": 3, "table": 2, "tables": 2, "notified": 3, "identified": 4, "accessed": 2,
	"exposed": 2, "learned": 1, "stored": 1, "wanted": 2, "needed": 2, "notes": 1, "cases": 2,
	"changes": 2, "companies": 3, "please": 1, "because": 2, "service": 2, "able": 2, "paying": 2,
	"buying": 2, "lawyer": 2, "beyond": 2, "doing": 2, "seeing": 2, "safely": 2, "completely": 3,
	"statement": 2, "careful": 2, "immediately": 5, "information": 4, "security": 4, "number": 2,
	"social": 2, "unauthorized": 4, "criminal": 3, "apologize": 4, "sorry": 2, "password": 2,
	"monitoring": 4, "protection": 3, "experian": 4, "equifax": 3, "transunion": 3,
	"investigation": 5, "discovered": 3, "customers": 3, "questions": 2, "account": 2,
	"financial": 3, "media": 3, "video": 3, "ratio": 3, "actual": 3, "usually": 4, "quality": 3,
	"premium": 3, "free": 1, "agree": 2, "whole": 1, "code": 1, "enroll": 2, "enrollment": 3,
	"deadline": 2, "phone": 1, "address": 2, "license": 2, "million": 2, "period": 3,
	"special": 2, "official": 3, "email": 2, "website": 2, "freeze": 1, "credit": 2, "report": 2,
	"alert": 2, "fraud": 1, "happened": 2, "involved": 2, "trust": 1, "data": 2, "system": 2,
	"access": 2, "attack": 2, "hashed": 1, "encrypted": 3, "exfiltrated": 4, "vector": 2,
	"threat": 1, "sincerely": 3, "available": 4, "monday": 2, "friday": 2, "recommend": 3,
	"review": 2, "suspicious": 3, "activity": 4, "complimentary": 5, "gesture": 2, "patience": 2,
	"responsibility": 6, "mistake": 2, "failed": 1, "determined": 3, "cooperating": 5,
	"enforcement": 3, "genuine": 3, "never": 2, "create": 2, "didn't": 2, "don't": 1,
	"largely": 2, "solely": 2, "element": 3, "implement": 3, "requirement": 3, "management": 3,
}

func TestSyllables(t *testing.T) {
	for w, want := range knownSyllables {
		if got := Syllables(w); got != want {
			t.Errorf("Syllables(%q) = %d, want %d", w, got, want)
		}
	}
	for _, w := range []string{"", "2026", "xyz", "Hmm"} {
		if got := Syllables(w); got < 1 {
			t.Errorf("Syllables(%q) = %d, want at least 1", w, got)
		}
	}
}

func TestFleschKincaid(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		want float64
	}{
		// 9 words, 11 syllables, 1 sentence:
		// 0.39×9 + 11.8×11/9 − 15.59 = 2.34.
		{"pangram", "The quick brown fox jumps over the lazy dog.", 2.34},
		// 6 one-syllable words: 0.39×6 + 11.8 − 15.59 = −1.45.
		{"cat", "The cat sat on the mat.", -1.45},
		// 2 sentences, 7 words, 13 syllables (we-are-sor-ry,
		// some-one-cop-ied-your-in-for-ma-tion):
		// 0.39×3.5 + 11.8×13/7 − 15.59 = 7.69.
		{"two sentences", "We are sorry. Someone copied your information.", 7.69},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := analyse(Parse("t.txt", []byte(tc.text), FormatText), &Options{})
			if got := a.grade(); math.Abs(got-tc.want) > 0.01 {
				t.Errorf("grade = %.3f (words %d, sentences %d, syllables %d), want %.2f", got, a.words, a.proseSent, a.syllables, tc.want)
			}
		})
	}
	if FleschKincaidGrade(0, 0, 0) != 0 {
		t.Error("empty text should grade 0")
	}
}

func TestSentences(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		want []string
	}{
		{"simple", "One two. Three four! Five six?", []string{"One two.", "Three four!", "Five six?"}},
		{"abbreviations", "Call Dr. Smith at 9 a.m. Eastern time. Write to P.O. Box 4.", []string{"Call Dr. Smith at 9 a.m. Eastern time.", "Write to P.O. Box 4."}},
		{"initials and domains", "John Q. Public visited example.com today. He left.", []string{"John Q. Public visited example.com today.", "He left."}},
		{"lower-case after stop", "We use e.g. plain words. Yes.", []string{"We use e.g. plain words.", "Yes."}},
		{"quotes", `He said "stop." Then he left.`, []string{`He said "stop."`, "Then he left."}},
		{"blocks", "First block\n\nSecond block. Third.", []string{"First block", "Second block.", "Third."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := Parse("t.txt", []byte(tc.text), FormatText)
			var got []string
			for _, s := range sentences(doc) {
				got = append(got, doc.Text[s.Start:s.End])
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("sentences (-want +got):\n%s", diff)
			}
		})
	}
}
