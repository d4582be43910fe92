// Package synth generates realistic synthetic lists of affected people for
// the demo and the benchmarks: deterministic for a seed, streamed row by
// row, spread over US states (weighted by population) and other countries.
package synth

import (
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Header is the CSV header written by WriteCSV; the import maps it
// automatically.
var header = []string{"customer_id", "first_name", "last_name", "email", "phone", "address1", "address2",
	"city", "state", "zip", "country", "language", "data_exposed"}

type place struct {
	region, city, zip, country string
	weight                     int
	locale                     string
}

// places holds the US states and DC weighted roughly by population (in
// 100k), a few territories, and other countries where customers live.
var places = []place{
	{"CA", "Los Angeles", "90012", "US", 390, "en"}, {"TX", "Austin", "78701", "US", 300, "en"},
	{"FL", "Miami", "33101", "US", 220, "en"}, {"NY", "New York", "10001", "US", 195, "en"},
	{"PA", "Philadelphia", "19103", "US", 130, "en"}, {"IL", "Chicago", "60601", "US", 125, "en"},
	{"OH", "Columbus", "43215", "US", 118, "en"}, {"GA", "Atlanta", "30303", "US", 110, "en"},
	{"NC", "Raleigh", "27601", "US", 108, "en"}, {"MI", "Detroit", "48226", "US", 100, "en"},
	{"NJ", "Newark", "07102", "US", 93, "en"}, {"VA", "Richmond", "23219", "US", 87, "en"},
	{"WA", "Seattle", "98101", "US", 78, "en"}, {"AZ", "Phoenix", "85004", "US", 74, "en"},
	{"TN", "Nashville", "37203", "US", 71, "en"}, {"MA", "Boston", "02108", "US", 70, "en"},
	{"IN", "Indianapolis", "46204", "US", 68, "en"}, {"MD", "Baltimore", "21202", "US", 62, "en"},
	{"MO", "St. Louis", "63101", "US", 62, "en"}, {"WI", "Milwaukee", "53202", "US", 59, "en"},
	{"CO", "Denver", "80202", "US", 59, "en"}, {"MN", "Minneapolis", "55401", "US", 57, "en"},
	{"SC", "Columbia", "29201", "US", 53, "en"}, {"AL", "Birmingham", "35203", "US", 51, "en"},
	{"LA", "New Orleans", "70112", "US", 46, "en"}, {"KY", "Louisville", "40202", "US", 45, "en"},
	{"OR", "Portland", "97204", "US", 42, "en"}, {"OK", "Tulsa", "74103", "US", 40, "en"},
	{"CT", "Hartford", "06103", "US", 36, "en"}, {"UT", "Salt Lake City", "84111", "US", 34, "en"},
	{"IA", "Des Moines", "50309", "US", 32, "en"}, {"NV", "Las Vegas", "89101", "US", 32, "en"},
	{"AR", "Little Rock", "72201", "US", 30, "en"}, {"MS", "Jackson", "39201", "US", 29, "en"},
	{"KS", "Wichita", "67202", "US", 29, "en"}, {"NM", "Albuquerque", "87102", "US", 21, "es"},
	{"NE", "Omaha", "68102", "US", 20, "en"}, {"ID", "Boise", "83702", "US", 19, "en"},
	{"WV", "Charleston", "25301", "US", 18, "en"}, {"HI", "Honolulu", "96813", "US", 14, "en"},
	{"NH", "Manchester", "03101", "US", 14, "en"}, {"ME", "Portland", "04101", "US", 14, "en"},
	{"MT", "Billings", "59101", "US", 11, "en"}, {"RI", "Providence", "02903", "US", 11, "en"},
	{"DE", "Wilmington", "19801", "US", 10, "en"}, {"SD", "Sioux Falls", "57104", "US", 9, "en"},
	{"ND", "Fargo", "58102", "US", 8, "en"}, {"AK", "Anchorage", "99501", "US", 7, "en"},
	{"DC", "Washington", "20001", "US", 7, "en"}, {"VT", "Burlington", "05401", "US", 6, "en"},
	{"WY", "Cheyenne", "82001", "US", 6, "en"}, {"PR", "San Juan", "00901", "US", 9, "es"},
	{"GU", "Hagatna", "96910", "US", 2, "en"}, {"VI", "Charlotte Amalie", "00802", "US", 2, "en"},
	{"", "London", "SW1A 1AA", "GB", 30, "en"}, {"", "Berlin", "10115", "DE", 20, "de"},
	{"", "Paris", "75001", "FR", 12, "fr"}, {"ON", "Toronto", "M5H 2N2", "CA", 25, "en"},
	{"QC", "Montréal", "H2Y 1C6", "CA", 12, "fr"}, {"NSW", "Sydney", "2000", "AU", 10, "en"},
	{"", "Dublin", "D02 X285", "IE", 6, "en"}, {"", "Madrid", "28013", "ES", 6, "es"},
}

var firstNames = []string{"James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
	"Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Carlos", "María",
	"José", "Ana", "Wei", "Mei", "Aisha", "Omar", "Priya", "Arjun", "Noah", "Emma", "Liam", "Olivia", "Zoë", "Renée"}

var lastNames = []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
	"Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
	"Lee", "Nguyen", "Chen", "Patel", "Kim", "O'Brien", "Müller", "Dubois", "Rossi", "Kowalski"}

var streets = []string{"Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Park Blvd", "Pine St", "Elm St", "Washington Ave",
	"Lake Rd", "Hill St", "Sunset Blvd", "River Rd"}

// profiles are the element sets a customer record can have exposed, with
// weights: most lost contact data and SSNs, some card data, some only
// credentials.
var profiles = []struct {
	elements string
	weight   int
}{
	{"name;ssn;dob;address;email", 45},
	{"name;email;address;phone", 20},
	{"name;card_number;account_access_code;address", 12},
	{"email;password;username", 10},
	{"name;drivers_license;dob;address", 8},
	{"name;medical;health_insurance;dob", 5},
}

// Options configures a generated list.
type Options struct {
	Rows int
	Seed uint64
	// IDPrefix prefixes customer IDs, e.g. "C-".
	IDPrefix string
	// BadEvery, when positive, spoils every BadEvery-th row in one of the
	// ways real lists are spoiled, so that a demo shows the quarantine.
	BadEvery int
}

// defects are the ways a row is spoiled, in turn.
var defects = []func(rec []string){
	func(rec []string) { rec[3] = strings.Replace(rec[3], "@", " at ", 1) },            // e-mail without @
	func(rec []string) { rec[8], rec[10] = "Atlantis", "US" },                          // no such state
	func(rec []string) { rec[12] = rec[12] + ";shoe_size" },                            // unknown data element
	func(rec []string) { rec[3], rec[5], rec[6], rec[7], rec[9] = "", "", "", "", "" }, // no way to reach them
}

// WriteCSV streams opts.Rows synthetic people as CSV to w.
func WriteCSV(w io.Writer, opts Options) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("write header: %w", err)
	}
	g := New(opts.Seed)
	rec := make([]string, len(header))
	for i := 0; i < opts.Rows; i++ {
		g.Record(rec, opts.IDPrefix, i)
		if opts.BadEvery > 0 && i%opts.BadEvery == opts.BadEvery-1 {
			defects[(i/opts.BadEvery)%len(defects)](rec)
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write row %d: %w", i+1, err)
		}
	}
	cw.Flush()
	return cw.Error()
}

// Generator produces synthetic people.
type Generator struct {
	rng          *rand.Rand
	placeTotal   int
	profileTotal int
}

// New returns a generator for seed.
func New(seed uint64) *Generator {
	g := &Generator{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	for _, p := range places {
		g.placeTotal += p.weight
	}
	for _, p := range profiles {
		g.profileTotal += p.weight
	}
	return g
}

// Header returns the CSV header of Record's fields.
func Header() []string { return append([]string(nil), header...) }

// Record fills rec (len(Header())) with person number i.
func (g *Generator) Record(rec []string, idPrefix string, i int) {
	pl := g.place()
	first := firstNames[g.rng.IntN(len(firstNames))]
	last := lastNames[g.rng.IntN(len(lastNames))]
	id := idPrefix + strconv.Itoa(100000+i)
	rec[0] = id
	rec[1], rec[2] = first, last
	rec[3] = fmt.Sprintf("customer%d@mail%d.example", 100000+i, i%7)
	rec[4] = fmt.Sprintf("+1 555 %03d %04d", g.rng.IntN(1000), g.rng.IntN(10000))
	if pl.country != "US" {
		rec[4] = ""
	}
	rec[5] = fmt.Sprintf("%d %s", 1+g.rng.IntN(9999), streets[g.rng.IntN(len(streets))])
	rec[6] = ""
	if g.rng.IntN(5) == 0 {
		rec[6] = fmt.Sprintf("Apt %d", 1+g.rng.IntN(400))
	}
	rec[7], rec[8], rec[9], rec[10], rec[11] = pl.city, pl.region, pl.zip, pl.country, pl.locale
	rec[12] = g.profile()
}

func (g *Generator) place() place {
	n := g.rng.IntN(g.placeTotal)
	for _, p := range places {
		if n < p.weight {
			return p
		}
		n -= p.weight
	}
	return places[0]
}

func (g *Generator) profile() string {
	n := g.rng.IntN(g.profileTotal)
	for _, p := range profiles {
		if n < p.weight {
			return p.elements
		}
		n -= p.weight
	}
	return profiles[0].elements
}
