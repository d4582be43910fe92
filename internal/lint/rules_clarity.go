package lint

import (
	"fmt"
	"math"
	"regexp"
	"strings"
)

// jargon is the word list of clarity-jargon: technical or legal terms and
// the plain words to use instead.
var jargon = []struct {
	re    *regexp.Regexp
	plain string
}{
	{regexp.MustCompile(`(?i)\bthreat actors?\b|\bmalicious actors?\b|\bbad actors?\b|\bthreat groups?\b`), `"criminal" or "attacker"`},
	{regexp.MustCompile(`(?i)\bexfiltrat\w*`), `"copied" or "took"`},
	{regexp.MustCompile(`(?i)\bhash(?:ed|es|ing)?\b|\bsalted\b`), `"scrambled", and say whether it can be unscrambled`},
	{regexp.MustCompile(`(?i)\b(?:bcrypt|scrypt|argon2\w*|pbkdf2|sha-?1|sha-?256|sha-?512|md5)\b`), `"scrambled", and say whether it can be unscrambled`},
	{regexp.MustCompile(`(?i)\bunauthori[sz]ed (?:third[- ]part(?:y|ies)|part(?:y|ies)|individuals?|actors?|users?|entit(?:y|ies))\b`), `"a criminal" or "someone without permission"`},
	{regexp.MustCompile(`\bPII\b|(?i)\bpersonally identifiable information\b`), `"personal information", and name the data`},
	{regexp.MustCompile(`(?i)\b(?:attack )?vectors?\b`), `"the way in"`},
	{regexp.MustCompile(`(?i)\bcredential stuffing\b`), `"criminals trying passwords stolen from other sites"`},
	{regexp.MustCompile(`(?i)\bzero[- ]day\b|\bexploit(?:ed|ing)? (?:a |the )?vulnerabilit(?:y|ies)\b`), `"used a weakness in our software"`},
	{regexp.MustCompile(`(?i)\bendpoints?\b`), `"computers" or "devices"`},
	{regexp.MustCompile(`(?i)\bremediat\w*`), `"fix"`},
	{regexp.MustCompile(`(?i)\bmitigat\w*`), `"reduce" or "limit"`},
	{regexp.MustCompile(`(?i)\butili[sz]\w*`), `"use"`},
	{regexp.MustCompile(`(?i)\bleverag\w*`), `"use"`},
	{regexp.MustCompile(`(?i)\bforensic\w*`), `"outside investigators" or "investigation"`},
	{regexp.MustCompile(`(?i)\bindicators? of compromise\b|\bIOCs?\b|\blateral movement\b|\bthreat landscape\b`), `plain words about what you found`},
	{regexp.MustCompile(`(?i)\bencrypted at rest\b|\bat rest\b`), `"scrambled when stored"`},
	{regexp.MustCompile(`(?i)\btokeni[sz]ed\b|\bobfuscated\b`), `"replaced by a stand-in" or "disguised"`},
	{regexp.MustCompile(`\b(?:MFA|2FA)\b|(?i)\bmulti-factor authentication\b`), `"two-step sign-in (a code sent to your phone)"`},
	{regexp.MustCompile(`\bSSNs?\b`), `"Social Security number"`},
	{regexp.MustCompile(`(?i)\bcompromised\b`), `"accessed without permission" or "stolen"`},
	{regexp.MustCompile(`(?i)\bcyber(?:security)? incident\b`), `"breach" or "attack"`},
	{regexp.MustCompile(`(?i)\bdata subjects?\b`), `"people" or "you"`},
	{regexp.MustCompile(`(?i)\bpursuant to\b|\bhereby\b|\bherein\b|\baforementioned\b|\bnotwithstanding\b|\bin accordance with\b|\bwherein\b`), `plain words ("under", "as", or leave it out)`},
	{regexp.MustCompile(`(?i)\bcredentials\b`), `"username and password"`},
}

// jargonRe is every jargon pattern in one alternation, so the text is
// scanned once; each match is then told apart by the single patterns.
var jargonRe = func() *regexp.Regexp {
	parts := make([]string, len(jargon))
	for i, j := range jargon {
		parts[i] = "(?:" + j.re.String() + ")"
	}
	return regexp.MustCompile(strings.Join(parts, "|"))
}()

func clarityRules() []*Rule {
	return []*Rule{
		{
			ID: "clarity-grade", Principle: Clarity, Severity: SeverityWarning, Points: 6, MaxPoints: 40,
			Summary: "Write for a grade-8 reader or below (Flesch–Kincaid).",
			Doc:     `Notices go to everyone. The rule computes the Flesch–Kincaid grade of the prose (headings excluded) and costs 6 points per grade above the target (8 by default, configurable).`,
			check: func(c *checker) {
				g := c.grade()
				target := c.opts.Config.maxGrade()
				if c.proseSent == 0 || g <= target {
					return
				}
				over := int(math.Ceil(g - target))
				c.reportWeighted(-1, -1, over*c.rule.Points, fmt.Sprintf("reading grade %.1f is above the target of %.0f", g, target), "Use shorter sentences and everyday words.")
			},
		},
		{
			ID: "clarity-long-sentence", Principle: Clarity, Severity: SeveritySuggestion, Points: 3, Repeat: 2, MaxPoints: 15,
			Summary: "Keep sentences under 25 words.",
			Doc:     `Long sentences lose readers under stress. The limit is configurable (long_sentence_words).`,
			check: func(c *checker) {
				limit := c.opts.Config.longSentence()
				for _, s := range c.sents {
					if s.Words > limit && c.doc.Blocks[s.Block].Kind != Heading {
						end := min(s.End, s.Start+80)
						c.report(s.Start, end, "sentence of %d words (limit %d)", "Split it into two or three sentences.", s.Words, limit)
					}
				}
			},
		},
		{
			ID: "clarity-jargon", Principle: Clarity, Severity: SeverityWarning, Points: 5, Repeat: 4, MaxPoints: 30,
			Summary: "Use plain words, not jargon.",
			Doc:     `Technical and legal terms ("threat actor", "exfiltrated", "hashed with bcrypt", "unauthorized third party", "PII", "vector", "pursuant to") confuse and distance readers. Each has a plain alternative.`,
			check: func(c *checker) {
				for _, m := range jargonRe.FindAllStringIndex(c.doc.Text, -1) {
					which := -1
					for i, j := range jargon {
						if j.re.MatchString(c.doc.Text[m[0]:m[1]]) {
							which = i
							break
						}
					}
					sp := span{m[0], m[1]}
					if which < 0 || c.insideURL(sp.start) {
						continue
					}
					if bi := c.doc.BlockAt(sp.start); bi >= 0 && c.doc.Blocks[bi].Kind == Heading && strings.Contains(strings.ToLower(c.doc.BlockText(c.doc.Blocks[bi])), "notice") {
						continue
					}
					c.report(sp.start, sp.end, "jargon: %q", "Say "+jargon[which].plain+".", c.doc.Text[sp.start:sp.end])
				}
			},
		},
		{
			ID: "clarity-length", Principle: Clarity, Severity: SeveritySuggestion, Points: 10, MaxPoints: 10,
			Summary: "Keep the notice short enough to read.",
			Doc:     `Over 1,000 words (configurable as max_words) most people stop reading. Move reference material (bureau addresses, state information) to an attachment or web page.`,
			check: func(c *checker) {
				limit := c.opts.Config.maxWords()
				if c.words > limit {
					c.whole(fmt.Sprintf("the notice is %d words long (limit %d)", c.words, limit), "Cut repetition and move reference material to an attachment.")
				}
			},
		},
	}
}
