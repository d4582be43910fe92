package notice

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"strings"
	"sync"

	"github.com/candor-dev/candor/internal/breach"
)

// crockford is Crockford's base-32 alphabet: no I, L, O or U, so codes
// read aloud over the phone are not misheard.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// Referencer makes and reads the reference codes printed on each notice,
// such as "7K2M-Q9TD-X4HB-3R8N". A code carries the person's ID, scrambled
// with the incident's secret, and a 40-bit keyed check, so that codes can
// be neither guessed nor forged, and no database lookup is needed to make
// one. Safe for concurrent use.
type Referencer struct {
	incidentID int64
	k1, k2     uint64
	macs       sync.Pool
}

// NewReferencer returns the referencer of an incident with its secret
// (breach.NoticeSettings.Secret).
func NewReferencer(incidentID int64, secret []byte) *Referencer {
	r := &Referencer{incidentID: incidentID}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("candor-reference-scramble"))
	sum := m.Sum(nil)
	r.k1 = binary.BigEndian.Uint64(sum[0:8]) & mask40
	r.k2 = binary.BigEndian.Uint64(sum[8:16]) & mask40
	key := append([]byte(nil), secret...)
	r.macs.New = func() any { return hmac.New(sha256.New, key) }
	return r
}

const (
	mask40 = 1<<40 - 1
	// Odd multipliers are invertible modulo 2^40.
	mulA = 0x9E3779B97F & mask40
	mulB = 0xC2B2AE3D27 & mask40
)

// inverse of an odd number modulo 2^40 (Newton's iteration).
func inverse40(a uint64) uint64 {
	x := a
	for i := 0; i < 6; i++ {
		x = x * (2 - a*x)
	}
	return x & mask40
}

func (r *Referencer) scramble(id uint64) uint64 {
	x := (id ^ r.k1) & mask40
	x = (x * mulA) & mask40
	x ^= x >> 20
	x = (x * mulB) & mask40
	return x ^ r.k2
}

func (r *Referencer) unscramble(x uint64) uint64 {
	x ^= r.k2
	x = (x * inverse40(mulB)) & mask40
	x ^= x >> 20
	x = (x * inverse40(mulA)) & mask40
	return x ^ r.k1
}

func (r *Referencer) mac(id uint64) uint64 {
	m := r.macs.Get().(hash.Hash)
	m.Reset()
	var b [16]byte
	binary.BigEndian.PutUint64(b[0:8], uint64(r.incidentID))
	binary.BigEndian.PutUint64(b[8:16], id)
	m.Write(b[:])
	var sum [sha256.Size]byte
	out := m.Sum(sum[:0])
	r.macs.Put(m)
	return binary.BigEndian.Uint64(out[0:8]) >> 24
}

// Code returns the reference code of a person.
func (r *Referencer) Code(personID int64) string {
	id := uint64(personID) & mask40
	v1, v2 := r.scramble(id), r.mac(id)
	var b [19]byte
	n := 0
	for i := 0; i < 16; i++ {
		if i > 0 && i%4 == 0 {
			b[n] = '-'
			n++
		}
		var v uint64
		if i < 8 {
			v = v1 >> (35 - 5*i)
		} else {
			v = v2 >> (35 - 5*(i-8))
		}
		b[n] = crockford[v&31]
		n++
	}
	return string(b[:n])
}

// PersonID reads a reference code (any case, with or without dashes or
// spaces; O read as 0, I and L as 1) and returns the person's ID. A code
// that is malformed or was not made with this incident's secret is
// EINVALID, with the same message either way.
func (r *Referencer) PersonID(code string) (int64, error) {
	bad := breach.Errorf(breach.EINVALID, "%q is not a valid reference code", code)
	var vals [16]uint64
	n := 0
	for _, c := range strings.ToUpper(code) {
		switch c {
		case '-', ' ':
			continue
		case 'O':
			c = '0'
		case 'I', 'L':
			c = '1'
		}
		i := strings.IndexRune(crockford, c)
		if i < 0 || n == 16 {
			return 0, bad
		}
		vals[n] = uint64(i)
		n++
	}
	if n != 16 {
		return 0, bad
	}
	var v1, v2 uint64
	for i := 0; i < 8; i++ {
		v1 = v1<<5 | vals[i]
		v2 = v2<<5 | vals[8+i]
	}
	id := r.unscramble(v1)
	if !hmac.Equal(u40(r.mac(id)), u40(v2)) {
		return 0, bad
	}
	return int64(id), nil
}

func u40(v uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	return b[3:]
}
