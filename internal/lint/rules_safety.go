package lint

import (
	"fmt"
	"net"
	"regexp"
	"strings"
)

var (
	// credentialAskRe finds requests for secrets by reply, e-mail or link.
	credentialAskRe = regexp.MustCompile(`(?i)\b(?:reply|respond|write back|e-?mail (?:us|it|them|back)|send (?:us|it|them)|text (?:us|it)|confirm|verify|validate|update|re-?enter|submit|provide|click)\b[^.!?]{0,80}\b(?:passwords?|passcodes?|social security (?:numbers?)?|SSNs?|PINs?|(?:credit |debit )?card numbers?|bank account (?:numbers?|details)|account numbers?|security (?:codes?|questions?|answers?)|(?:login|sign-in) (?:details|credentials)|credentials|date of birth)\b`)
	// askChannelRe limits credentialAskRe to requests that go back by
	// reply, e-mail, text or through a link, not to enrolment on a
	// bureau's site.
	askChannelRe = regexp.MustCompile(`(?i)\b(?:reply|respond|write back|e-?mail|send|text|click|link|below|this (?:form|page)|confirm|verify|validate|update)\b`)
	genuineRe    = regexp.MustCompile(`(?i)\b(?:we|no one from \w+|our staff|our team|\w+ staff)\s+(?:will\s+)?(?:never|not|won't|don't|do not)\s+(?:ever\s+)?(?:ask|call|e-?mail|request|contact you)\b|\bnever ask (?:you )?for\b|\b(?:check|verify|confirm|tell) (?:that )?(?:this|the|our) (?:letter|notice|e-?mail|message|call) is (?:genuine|real|legitimate|authentic|from us)\b|\bgenuine\b|\btype [^.!?]{0,40}\b(?:into|in) your (?:browser|web browser|address bar)\b|\bdo not (?:click|trust|reply to) (?:links|e-?mails|messages|anyone)\b`)
)

func safetyRules() []*Rule {
	return []*Rule{
		{
			ID: "safety-https", Principle: Safety, Severity: SeverityError, Points: 25, Repeat: 10, MaxPoints: 40,
			Summary: "Every link uses HTTPS.",
			Doc:     `A plain http:// link can be intercepted and teaches people to accept insecure pages. Bare domains in print ("example.com") are not flagged; explicit http:// and other schemes are.`,
			check: func(c *checker) {
				for _, l := range c.doc.Links {
					switch s := l.Scheme(); s {
					case "", "https", "mailto", "tel":
					case "http":
						c.linkReport(l, "link is not HTTPS: "+truncate(l.URL, 80), "Use https:// on every link.")
					default:
						if l.Kind != LinkImage && !strings.HasPrefix(l.URL, "{{") {
							c.linkReport(l, fmt.Sprintf("link uses the %s: scheme", s), "Link only to https:// pages.")
						}
					}
				}
			},
		},
		{
			ID: "safety-domain", Principle: Safety, Severity: SeverityWarning, Points: 20, Repeat: 10, MaxPoints: 40,
			Summary: "Link only to your own domains (and the bureaus' and the FTC's).",
			Doc:     `People are told to distrust links in breach season; every link should be on your official domain (--org primary and allowed domains) so that they can check it. Links to the credit bureaus, annualcreditreport.com and .gov sites are allowed. Without --org the official domain is guessed from the notice's own e-mail addresses.`,
			check: func(c *checker) {
				if len(c.domains) == 0 {
					return
				}
				seen := map[string]bool{}
				for _, l := range c.doc.Links {
					h := l.Host()
					if h == "" || strings.Contains(h, "{{") || seen[h] {
						continue
					}
					if net.ParseIP(strings.Trim(h, "[]")) != nil {
						seen[h] = true
						c.linkReport(l, "link to a bare IP address: "+h, "Link to a page on "+c.domains[0]+".")
						continue
					}
					if c.official(h) || isTrusted(h) || isShortener(h) || lookalike(h, c.domains, c.brands) != "" || hasPunycode(h) {
						continue
					}
					seen[h] = true
					msg := fmt.Sprintf("%s is not one of the organisation's domains (%s)", h, strings.Join(c.domains, ", "))
					if c.inferred {
						msg = fmt.Sprintf("%s is not %s, which the notice's own addresses suggest is the official domain (pass --org to say)", h, c.domains[0])
					}
					c.linkReport(l, msg, "Host the page on "+c.domains[0]+", or add the domain to the organisation's allowed domains if it is yours.")
				}
			},
		},
		{
			ID: "safety-lookalike", Principle: Safety, Severity: SeverityError, Points: 60, Repeat: 20, MaxPoints: 80, Cap: 40,
			Summary: "No look-alike or typo-squat domains.",
			Doc:     `A link that imitates your domain — one or two letters off (Damerau–Levenshtein), your brand plus extra words ("brand-security2017.com", "brandbreach.com"), another ending (.net for .com), letters from another alphabet or punycode (xn--) that look like yours, or your name as a subdomain of another site — trains people to trust phishing sites, and phishers register the copies. The same checks protect the bureaus' and the FTC's domains. A finding caps the overall score at 40.`,
			check: func(c *checker) {
				seen := map[string]bool{}
				for _, l := range c.doc.Links {
					h := l.Host()
					if h == "" || seen[h] || c.official(h) || isTrusted(h) {
						continue
					}
					if why := lookalike(h, c.domains, c.brands); why != "" {
						seen[h] = true
						c.linkReport(l, fmt.Sprintf("%s looks like an imitation: %s", h, why), "Use your real domain"+firstDomain(c.domains)+"; never register a separate look-alike domain for breach response.")
					}
				}
			},
		},
		{
			ID: "safety-punycode", Principle: Safety, Severity: SeverityWarning, Points: 20, Repeat: 10, MaxPoints: 30,
			Summary: "No punycode or non-Latin host names.",
			Doc:     `Internationalised host names (xn--…) can imitate other names letter for letter and cannot be checked by eye. Flagged whether or not they resemble a known domain.`,
			check: func(c *checker) {
				seen := map[string]bool{}
				for _, l := range c.doc.Links {
					h := l.Host()
					if h == "" || seen[h] || !hasPunycode(h) || c.official(h) {
						continue
					}
					seen[h] = true
					c.linkReport(l, "internationalised host name "+h, "Use a plain ASCII domain that people can read and check.")
				}
			},
		},
		{
			ID: "safety-shortener", Principle: Safety, Severity: SeverityError, Points: 30, Repeat: 10, MaxPoints: 40, Cap: 60,
			Summary: "No URL shorteners.",
			Doc:     `bit.ly, tinyurl.com and the like hide where a link goes — exactly what phishing does. A finding caps the overall score at 60.`,
			check: func(c *checker) {
				for _, l := range c.doc.Links {
					if h := l.Host(); h != "" && isShortener(h) {
						c.linkReport(l, h+" is a URL shortener", "Write out the full address on your own domain.")
					}
				}
			},
		},
		{
			ID: "safety-link-mismatch", Principle: Safety, Severity: SeverityError, Points: 40, Repeat: 10, MaxPoints: 50, Cap: 50,
			Summary: "A link's text and its target show the same domain.",
			Doc:     `A link that reads "example.com/help" but goes elsewhere is how phishing works. The rule compares the domain shown in a link's text with its target's. A finding caps the overall score at 50.`,
			check: func(c *checker) {
				for _, l := range c.doc.Links {
					if l.Bare || l.Start < 0 || l.Kind == LinkImage {
						continue
					}
					shown := shownHost(l.Text)
					target := l.Host()
					if shown == "" || target == "" || strings.Contains(target, "{{") {
						continue
					}
					if registrable(shown) != registrable(target) {
						c.linkReport(l, fmt.Sprintf("link text shows %s but the link goes to %s", shown, target), "Make the visible address and the link the same.")
					}
				}
			},
		},
		{
			ID: "safety-credential-request", Principle: Safety, Severity: SeverityError, Points: 60, Repeat: 20, MaxPoints: 80, Cap: 30,
			Summary: "Never ask for passwords, SSNs or card numbers by reply or link.",
			Doc:     `Phishers copy breach notices; a real one must never ask for secrets by reply, e-mail, text or a link. Sentences that forbid it ("we will never ask for your password") are not flagged. A finding caps the overall score at 30.`,
			check: func(c *checker) {
				for _, sp := range c.all(credentialAskRe) {
					if c.sentenceHas(negationRe, sp.start) || !askChannelRe.MatchString(c.doc.Text[sp.start:sp.end]) ||
						c.sentenceHas(passwordChangeRe, sp.start) && !c.sentenceHas(credentialSendRe, sp.start) {
						continue
					}
					c.report(sp.start, sp.end, "the notice asks for secret information by reply or link", "Remove the request; tell people you will never ask for it.")
				}
			},
		},
		{
			ID: "safety-genuine", Principle: Safety, Severity: SeverityWarning, Points: 15, MaxPoints: 15,
			Summary: "Tell people how to recognise a genuine message.",
			Doc:     `Breach notices are followed by phishing that imitates them. A line such as "We will never ask for your password or SSN by e-mail or phone; to check this letter, type example.com into your browser" protects readers.`,
			check: func(c *checker) {
				if _, ok := c.first(genuineRe); !ok {
					c.whole("the notice does not tell readers how to recognise a genuine message", `Add "We will never ask for your password or Social Security number by e-mail, text or phone."`)
				}
			},
		},
	}
}

// credentialSendRe marks a request to send a password somewhere, as
// opposed to advice to change it.
var credentialSendRe = regexp.MustCompile(`(?i)\b(?:reply|respond|send|e-?mail (?:us|it)|text us|enter your (?:current|old))\b`)

// linkReport reports a finding about link l, at its visible text or, for
// links without any (images), at its place in the source.
func (c *checker) linkReport(l Link, msg, suggestion string) {
	if l.Start >= 0 {
		c.report(l.Start, l.End, msg, suggestion)
		return
	}
	c.report(-1, -1, msg, suggestion)
	f := &c.findings[len(c.findings)-1]
	f.srcOff = l.Src + 1
}

// shownHost returns the host a link's visible text displays, if it shows
// one ("Visit example.com/help" → "example.com").
func shownHost(text string) string {
	if m := bareURLRe.FindString(text); m != "" {
		return hostOf(m)
	}
	for _, m := range bareDomainRe.FindAllStringIndex(text, -1) {
		if m[0] > 0 && (text[m[0]-1] == '@' || text[m[0]-1] == '.') {
			continue
		}
		return hostOf(text[m[0]:m[1]])
	}
	return ""
}

func hasPunycode(host string) bool {
	if strings.Contains(host, "xn--") {
		return true
	}
	for i := 0; i < len(host); i++ {
		if host[i] >= 0x80 {
			return true
		}
	}
	return false
}

func firstDomain(ds []string) string {
	if len(ds) == 0 {
		return ""
	}
	return " (" + ds[0] + ")"
}
