package lint

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/candor-dev/candor/internal/breach"
)

// analysis is a notice with everything the rules share worked out once:
// sentences, readability counts, the exposed data, the official domains
// and a memo of content detections.
type analysis struct {
	doc  *Document
	opts *Options

	sents     []Sentence
	words     int
	syllables int
	proseSent int // sentences outside headings, for readability

	// exposed holds the data elements the notice says were exposed (or
	// the ones given in Options.Elements); exposedAt where it says so.
	exposed   breach.ElementSet
	exposedAt map[breach.DataElement]span
	given     bool

	// domains are the official domains links must be on; inferred is set
	// when they were guessed from the notice for want of an organisation.
	domains  []string
	brands   []string
	inferred bool

	content map[breach.ContentItem]detection

	// memo caches whether a sentence matches a pattern, so that rules
	// checking the sentence of every match stay linear on long sentences.
	dates        [][][]int // per sentence, the date matches (offsets in the sentence); nil until needed
	measures     []span
	measuresDone bool
	memo         map[sentKey]bool
	lastBy       map[int]int
	inURL        []bool
}

type sentKey struct {
	re *regexp.Regexp
	i  int
}

// span is a range of Document.Text.
type span struct{ start, end int }

func (s span) ok() bool { return s.end > s.start }

func analyse(doc *Document, opts *Options) *analysis {
	a := &analysis{doc: doc, opts: opts, content: map[breach.ContentItem]detection{}, memo: map[sentKey]bool{}, lastBy: map[int]int{}}
	a.sents = sentences(doc)
	for _, s := range a.sents {
		if doc.Blocks[s.Block].Kind == Heading {
			continue
		}
		a.words += s.Words
		a.syllables += s.Syllables
		a.proseSent++
	}
	a.findExposed()
	a.findDomains()
	return a
}

// grade is the Flesch–Kincaid grade of the prose (headings excluded).
func (a *analysis) grade() float64 {
	return FleschKincaidGrade(a.words, a.proseSent, a.syllables)
}

// sentenceAt returns the index of the sentence holding Text offset off, or
// -1.
func (a *analysis) sentenceAt(off int) int {
	i := sort.Search(len(a.sents), func(i int) bool { return a.sents[i].End > off })
	if i < len(a.sents) && a.sents[i].Start <= off {
		return i
	}
	return -1
}

// sentence returns the text of sentence i.
func (a *analysis) sentence(i int) string {
	if i < 0 || i >= len(a.sents) {
		return ""
	}
	return a.doc.Text[a.sents[i].Start:a.sents[i].End]
}

// sentenceDates returns the date matches of sentence i, offsets relative to
// the sentence, computing the dates of the whole text once.
func (a *analysis) sentenceDates(i int) [][]int {
	if a.dates == nil {
		a.dates = make([][][]int, len(a.sents))
		for si := range a.sents {
			s := a.sentence(si)
			if !strings.ContainsAny(s, "0123456789{") {
				continue // every date has a digit or is a template field
			}
			a.dates[si] = dateRe.FindAllStringIndex(s, -1)
		}
	}
	if i < 0 || i >= len(a.dates) {
		return nil
	}
	return a.dates[i]
}

// sentenceHas reports whether the sentence holding Text offset off
// matches re, remembering the answer.
func (a *analysis) sentenceHas(re *regexp.Regexp, off int) bool {
	k := sentKey{re, a.sentenceAt(off)}
	if v, ok := a.memo[k]; ok {
		return v
	}
	v := re.MatchString(a.sentence(k.i))
	a.memo[k] = v
	return v
}

// byAfter reports whether "by" follows Text offset off in its sentence
// (the agent of a passive verb).
func (a *analysis) byAfter(off int) bool {
	i := a.sentenceAt(off)
	last, ok := a.lastBy[i]
	if !ok {
		last = -1
		if i >= 0 {
			for _, m := range byRe.FindAllStringIndex(a.sentence(i), -1) {
				last = a.sents[i].Start + m[0]
			}
		}
		a.lastBy[i] = last
	}
	return last >= off
}

// insideURL reports whether Text offset off lies in the visible text of a
// link that shows its own address (jargon inside a URL is not prose).
func (a *analysis) insideURL(off int) bool {
	if a.inURL == nil {
		a.inURL = make([]bool, len(a.doc.Text))
		for _, l := range a.doc.Links {
			if l.Start >= 0 && (l.Bare || l.Text == l.URL) {
				for j := l.Start; j < l.End && j < len(a.inURL); j++ {
					a.inURL[j] = true
				}
			}
		}
	}
	return off >= 0 && off < len(a.inURL) && a.inURL[off]
}

// sentenceOf returns the text of the sentence holding off ("" if none).
func (a *analysis) sentenceOf(off int) string { return a.sentence(a.sentenceAt(off)) }

// all returns every match of re in the text.
func (a *analysis) all(re *regexp.Regexp) []span {
	var out []span
	for _, m := range re.FindAllStringIndex(a.doc.Text, -1) {
		out = append(out, span{m[0], m[1]})
	}
	return out
}

// first returns the first match of re in the text.
func (a *analysis) first(re *regexp.Regexp) (span, bool) {
	m := re.FindStringIndex(a.doc.Text)
	if m == nil {
		return span{}, false
	}
	return span{m[0], m[1]}, true
}

// sentencesMatching returns the indexes of the sentences matched by every
// one of res.
func (a *analysis) sentencesMatching(res ...*regexp.Regexp) []int {
	var out []int
	for i := range a.sents {
		s := a.sentence(i)
		ok := true
		for _, re := range res {
			if !re.MatchString(s) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, i)
		}
	}
	return out
}

// sectionOf returns the heading text of the section holding block bi, or
// "".
func (a *analysis) sectionOf(bi int) string {
	if bi < 0 || bi >= len(a.doc.Blocks) {
		return ""
	}
	b := a.doc.Blocks[bi]
	if b.Kind == Heading {
		return a.doc.BlockText(b)
	}
	if b.Section < 0 {
		return ""
	}
	return a.doc.BlockText(a.doc.Blocks[b.Section])
}

// sectionSpan returns the text of the first section whose heading matches
// re, from the heading to the next heading of the same or a higher level.
func (a *analysis) sectionSpan(re *regexp.Regexp) (span, bool) {
	for i, b := range a.doc.Blocks {
		if b.Kind != Heading || !re.MatchString(a.doc.BlockText(b)) {
			continue
		}
		end := len(a.doc.Text)
		for _, nb := range a.doc.Blocks[i+1:] {
			if nb.Kind == Heading && nb.Level <= b.Level {
				end = nb.Start
				break
			}
		}
		return span{b.Start, end}, true
	}
	return span{}, false
}

// inSpan reports whether any match of re lies inside sp.
func (a *analysis) inSpan(re *regexp.Regexp, sp span) (span, bool) {
	m := re.FindStringIndex(a.doc.Text[sp.start:sp.end])
	if m == nil {
		return span{}, false
	}
	return span{sp.start + m[0], sp.start + m[1]}, true
}

// wordOffset returns the number of words of prose before Text offset off,
// to judge how early something comes.
func (a *analysis) wordOffset(off int) int {
	n := 0
	for _, s := range a.sents {
		if s.End <= off {
			if a.doc.Blocks[s.Block].Kind != Heading {
				n += s.Words
			}
			continue
		}
		if s.Start < off {
			w, _ := countWords(a.doc.Text[s.Start:off])
			n += w
		}
		break
	}
	return n
}

// negated reports whether a sentence denies or forbids what it mentions
// ("was not involved", "we will never ask").
func negated(sentence string) bool { return negationRe.MatchString(sentence) }

var negationRe = regexp.MustCompile(`(?i)\b(?:not|never|no|none|neither|nor|without|n't|cannot)\b|n't\b`)

// truncate shortens s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n - 3
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "..."
}

// --- Shared vocabulary -----------------------------------------------------

const months = `(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)`

// dateRe matches a calendar date ("June 3, 2026", "3 June 2026", "June
// 2026", "06/03/2026", "2026-06-03") or a template field named like one
// ("{{.DiscoveredDate}}").
var dateRe = regexp.MustCompile(`(?i)\b` + months + `\.?\s+\d{1,2}(?:st|nd|rd|th)?\b(?:,?\s+\d{4})?|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?` + months + `\b,?(?:\s+\d{4})?|\b` + months + `\s+\d{4}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\{\{[^}]*(?:date|deadline|until|expir|_at|At\b|_by|By\b|when|day)[^}]*\}\}`)

var (
	occurredRe   = regexp.MustCompile(`(?i)\b(?:occur\w*|happen\w*|took place|began|begin\w*|start\w*|between|from|until|through|since|as early as|on or about|access\w*|acquir\w*|cop(?:y|ied)\w*|st[oe]le\w*|taken|took|download\w*|entered|gain\w*|attack\w*|intru\w*|expos\w*|view\w*|obtain\w*|infect\w*|encrypt\w*|misconfigur\w*|available|sent|mailed|lost|breach\w*|incident)\b`)
	discoveredRe = regexp.MustCompile(`(?i)\b(?:discover\w*|learn\w*|became aware|become aware|aware|detect\w*|identif\w*|notic\w*|found|alerted|told us|informed us|determin\w*|confirm\w*)\b`)
	// occurrenceDateRe marks a date as the time of the breach even in a
	// sentence about its discovery.
	occurrenceDateRe = regexp.MustCompile(`(?i)\b(?:between|from|since|as early as|on or about|beginning|began|starting|until|through)\b`)

	countRe = regexp.MustCompile(`(?i)(?:\b\d[\d,.]*\s*(?:million|thousand|hundred)?|\b(?:(?:one|two|three|four|five|six|seven|eight|nine|ten|a few|several)\s+(?:hundred|thousand|million)|hundreds|thousands|millions)|\{\{[^}]*(?:count|total|number|affected)[^}]*\}\})\s*(?:of\s+(?:our\s+)?)?(?:\w+\s+)?(?:people|persons|individuals|customers|users|members|patients|accounts|employees|residents|consumers|clients|students|account ?holders|cardholders|subscribers|households|families|donors|guests|shoppers|records)\b`)

	apologyRe       = regexp.MustCompile(`(?i)\b(?:(?:we|i)\s+(?:are|am|'re|'m)\s+(?:deeply |truly |very |so |sincerely |genuinely )?sorry|(?:we|i)\s+(?:sincerely |deeply |truly |unreservedly )?apologi[sz]e|our (?:sincere |deepest |heartfelt )?apolog(?:y|ies)|please accept our (?:sincere |deepest )?apolog(?:y|ies)|we owe you an apology)\b`)
	weakApologyRe   = regexp.MustCompile(`(?i)\b(?:regret|sorry|apologi[sz]e|apolog(?:y|ies))\b[^.!?]{0,60}\b(?:any|the)\s+inconvenience|\bsorry\s+(?:if|that you feel)\b|\bregret\b[^.!?]{0,40}\b(?:concern|inconvenience)|\bwe regret\b`)
	inconvenienceRe = regexp.MustCompile(`(?i)\binconvenience\b`)
)

// detection is where a content item was found.
type detection struct {
	span
	found bool
}
