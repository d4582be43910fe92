package lint

import (
	"regexp"
)

// apologyEarlyWords is how far into the notice (in words) the apology
// must come to count as early: roughly its first paragraph or two.
const apologyEarlyWords = 150

var (
	deflectionRe     = regexp.MustCompile(`(?i)\b(?:highly |extremely |very )?sophisticated (?:cyber ?)?(?:attack\w*|criminals?|actors?|hackers?|threat actors?|intrusion|campaign|group)|\bnation[- ]state\b|\bvictims? of (?:a |an )?(?:\w+ )?(?:cyber ?)?(?:attack|crime|criminal)|\bwe were (?:the )?(?:targeted|victimi[sz]ed)\b|\b(?:our|a|one of our) (?:third[- ]party )?(?:vendors?|service providers?|suppliers?|contractors?|partners?)(?:'s)? (?:was|were|had|experienced|suffered|caused)|\b(?:at|by|of|from|involving) (?:a|an|one of our) (?:third[- ]party )?(?:vendor|service provider|supplier|contractor|partner)\b|\bdespite (?:our|the) (?:robust|strong|extensive|industry[- ]leading|best)\b|\bbeyond our control\b|\bthrough no fault of (?:our|its) own\b`)
	responsibilityRe = regexp.MustCompile(`(?i)\b(?:we|i) (?:take|accept) (?:full |complete |total )?responsibility\b|\b(?:this|it) (?:was|is) our (?:fault|mistake|responsibility|failure)\b|\bour (?:mistake|fault|failure|error)\b|\bwe (?:failed|made a mistake|should have|did not do enough|let you down|fell short)\b|\bwe are responsible\b|\bresponsibility (?:is|was|lies with) ours\b|\bwe own this\b`)
	minimisingRes    = []struct {
		re           *regexp.Regexp
		why, instead string
		needCheck    bool
	}{
		{regexp.MustCompile(`(?i)\bout of an? (?:abundance|excess) of caution\b|\bin an abundance of caution\b`), "\"out of an abundance of caution\" suggests the notice is a formality", "Say plainly why you are writing: \"Your information was taken, and we want you to know what to do.\"", false},
		{regexp.MustCompile(`(?i)\b(?:no|not any) (?:evidence|indication|sign|reason to believe)\b[^.!?]{0,80}\b(?:misuse\w*|misused|used|fraud\w*|abuse\w*)\b|\b(?:not|n't) aware of any\b[^.!?]{0,40}\b(?:misuse\w*|fraud\w*)\b`), "\"no evidence of misuse\" reassures without saying what was checked", "Say what you checked and when, or say that you cannot know yet.", true},
		{regexp.MustCompile(`(?i)\b(?:may|might|could) have been (?:accessed|viewed|acquired|exposed|affected|involved|compromised|obtained|seen|taken|copied|impacted)\b`), "\"may have been\" hedges about what happened", "Say what you know (\"was copied\") and, separately, what you do not know yet.", false},
		{regexp.MustCompile(`(?i)\bwe take (?:your |the )?(?:privacy|security|data protection|protection of your (?:data|information))(?: and (?:security|privacy))? (?:very |extremely |incredibly )?seriously\b`), "\"we take your privacy seriously\" rings hollow after a breach", "Show it with what you are doing instead of saying it.", false},
		{regexp.MustCompile(`(?i)\b(?:isolated|minor|limited|small)\s+(?:security\s+)?(?:incident|event|issue)\b|\bonly (?:a )?(?:small|limited|tiny) (?:number|portion|percentage|fraction)\b`), "calling the breach small or isolated minimises it for the people it affects", "Give the facts (what, how many) and let readers judge.", false},
		{regexp.MustCompile(`(?i)\bdata (?:security )?(?:event|incident|issue)\b|\bsecurity (?:event|issue)\b`), "\"data security incident\" is a euphemism for a breach", "Call it what it is: \"a breach of our customer database\".", false},
	}
	checkedRe = regexp.MustCompile(`(?i)\b(?:review\w*|monitor\w*|check\w*|examin\w*|analy[sz]\w*|search\w*|investigat\w*|look\w*|audit\w*|scann\w*|track\w*|watch\w*)\b`)
)

func empathyRules() []*Rule {
	return []*Rule{
		{
			ID: "empathy-apology", Principle: Empathy, Severity: SeverityWarning, Points: 45, MaxPoints: 45,
			Summary: "Apologise sincerely.",
			Doc: `A notice without "we are sorry" or "we apologize" reads as a legal formality. ` +
				`Regret "for any inconvenience" does not count: see empathy-insincere-apology.`,
			check: func(c *checker) {
				if _, ok := c.first(apologyRe); !ok {
					c.whole("the notice does not apologise", `Say "We are sorry" in your own words near the start, and say what for.`)
				}
			},
		},
		{
			ID: "empathy-apology-early", Principle: Empathy, Severity: SeveritySuggestion, Points: 10, MaxPoints: 10,
			Summary: "Apologise early, within the first paragraphs.",
			Doc:     `An apology buried at the end, after the legal matter, reads as an afterthought. The rule wants it within the first 150 words.`,
			check: func(c *checker) {
				sp, ok := c.first(apologyRe)
				if !ok {
					return
				}
				if n := c.wordOffset(sp.start); n > apologyEarlyWords {
					c.report(sp.start, sp.end, "the apology comes %d words in", "Move the apology into the first paragraph.", n)
				}
			},
		},
		{
			ID: "empathy-insincere-apology", Principle: Empathy, Severity: SeverityWarning, Points: 15, Repeat: 5, MaxPoints: 25,
			Summary: `No regret "for any inconvenience".`,
			Doc:     `"We regret any inconvenience" and "sorry if" turn a breach into an inconvenience or make the apology conditional.`,
			check: func(c *checker) {
				for _, sp := range c.all(weakApologyRe) {
					c.report(sp.start, sp.end, "this apology minimises the harm or is conditional", `Apologise for the breach itself: "We are sorry that your information was exposed."`)
				}
			},
		},
		{
			ID: "empathy-deflection", Principle: Empathy, Severity: SeverityWarning, Points: 15, Repeat: 10, MaxPoints: 30,
			Summary: "Take responsibility; do not deflect onto attackers or vendors.",
			Doc:     `"A sophisticated attack", "a nation-state", "our vendor's system" shift the blame. People trusted you with their data; the notice should own the failure even when a vendor was involved.`,
			check: func(c *checker) {
				for _, sp := range c.all(deflectionRe) {
					c.report(sp.start, sp.end, "this shifts responsibility away from you", `Own it: "Our vendor's system held your data, and choosing and overseeing that vendor is our responsibility."`)
				}
			},
		},
		{
			ID: "empathy-responsibility", Principle: Empathy, Severity: SeveritySuggestion, Points: 10, MaxPoints: 10,
			Summary: "Say that you take responsibility.",
			Doc:     `A sentence such as "This was our mistake" or "We take full responsibility" tells people you will not hide behind the attacker.`,
			check: func(c *checker) {
				if _, ok := c.first(responsibilityRe); !ok {
					c.whole("the notice never takes responsibility", `Add a plain sentence such as "This is our responsibility, and we are sorry."`)
				}
			},
		},
		{
			ID: "empathy-minimising", Principle: Empathy, Severity: SeverityWarning, Points: 10, Repeat: 8, MaxPoints: 40,
			Summary: "No minimising phrases.",
			Doc: `Flags "out of an abundance of caution", "no evidence of misuse" without saying what was checked, ` +
				`"may have been accessed", "we take your privacy seriously", "isolated incident" and "data security incident".`,
			check: func(c *checker) {
				for _, m := range minimisingRes {
					for _, sp := range c.all(m.re) {
						if m.needCheck && c.sentenceHas(checkedRe, sp.start) {
							continue
						}
						c.report(sp.start, sp.end, m.why, m.instead)
					}
				}
			},
		},
	}
}
