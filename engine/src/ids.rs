//! Seeded identifiers: container IDs, random names and anything else Docker would draw at random.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// SplitMix64: tiny, fast and good enough to stand in for Docker's random IDs. Its whole state is
/// one number, so it snapshots with the engine and replays identically.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IdGenerator {
    state: u64,
}

impl IdGenerator {
    pub fn new(seed: u64) -> Self {
        IdGenerator { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound`.
    pub fn below(&mut self, bound: u64) -> u64 {
        // Modulo bias is irrelevant at these bounds; determinism is what matters.
        self.next_u64() % bound.max(1)
    }

    /// 64 lowercase hex digits, like a container ID.
    pub fn hex_id(&mut self) -> String {
        (0..4).map(|_| format!("{:016x}", self.next_u64())).collect()
    }

    /// An `adjective_surname` name the way Docker's name generator makes them.
    pub fn container_name(&mut self) -> String {
        loop {
            let adjective = ADJECTIVES[self.below(ADJECTIVES.len() as u64) as usize];
            let surname = SURNAMES[self.below(SURNAMES.len() as u64) as usize];
            // Docker refuses this one pairing, and so do we.
            if adjective == "boring" && surname == "wozniak" {
                continue;
            }
            return format!("{adjective}_{surname}");
        }
    }
}

/// `sha256:` followed by the hex digest of `content`: how content-addressed objects are named.
pub fn sha256_digest(content: &[u8]) -> String {
    let hash = Sha256::digest(content);
    let mut digest = String::with_capacity(71);
    digest.push_str("sha256:");
    for byte in hash {
        digest.push_str(&format!("{byte:02x}"));
    }
    digest
}

/// The hex part of a `sha256:` digest.
pub fn digest_hex(digest: &str) -> &str {
    digest.strip_prefix("sha256:").unwrap_or(digest)
}

/// The 12-character form tables show.
pub fn short_id(id: &str) -> &str {
    let hex = digest_hex(id);
    &hex[..hex.len().min(12)]
}

const ADJECTIVES: &[&str] = &[
    "admiring", "adoring", "affectionate", "agitated", "amazing", "angry", "awesome", "beautiful",
    "blissful", "bold", "boring", "brave", "busy", "charming", "clever", "compassionate",
    "competent", "condescending", "confident", "cool", "cranky", "crazy", "dazzling",
    "determined", "distracted", "dreamy", "eager", "ecstatic", "elastic", "elated", "elegant",
    "eloquent", "epic", "exciting", "fervent", "festive", "flamboyant", "focused", "friendly",
    "frosty", "funny", "gallant", "gifted", "goofy", "gracious", "great", "happy", "hardcore",
    "heuristic", "hopeful", "hungry", "infallible", "inspiring", "intelligent", "interesting",
    "jolly", "jovial", "keen", "kind", "laughing", "loving", "lucid", "magical", "modest",
    "musing", "mystifying", "naughty", "nervous", "nice", "nifty", "nostalgic", "objective",
    "optimistic", "peaceful", "pedantic", "pensive", "practical", "priceless", "quirky",
    "quizzical", "recursing", "relaxed", "reverent", "romantic", "sad", "serene", "sharp",
    "silly", "sleepy", "stoic", "strange", "stupefied", "suspicious", "sweet", "tender",
    "thirsty", "trusting", "unruffled", "upbeat", "vibrant", "vigilant", "vigorous", "wizardly",
    "wonderful", "xenodochial", "youthful", "zealous", "zen",
];

const SURNAMES: &[&str] = &[
    "agnesi", "albattani", "allen", "almeida", "archimedes", "ardinghelli", "aryabhata", "austin",
    "babbage", "banach", "bardeen", "bartik", "bassi", "beaver", "bell", "bhabha", "bhaskara",
    "blackwell", "bohr", "booth", "borg", "bose", "boyd", "brahmagupta", "brattain", "brown",
    "carson", "chandrasekhar", "clarke", "colden", "cori", "cray", "curie", "darwin", "davinci",
    "dijkstra", "dubinsky", "easley", "einstein", "elion", "engelbart", "euclid", "euler",
    "fermat", "fermi", "feynman", "franklin", "galileo", "gates", "goldberg", "goldstine",
    "goldwasser", "golick", "goodall", "hamilton", "hawking", "heisenberg", "hermann",
    "heyrovsky", "hodgkin", "hoover", "hopper", "hugle", "hypatia", "jackson", "jang", "jennings",
    "jepsen", "johnson", "joliot", "jones", "kalam", "kare", "keller", "kepler", "khorana",
    "kilby", "kirch", "knuth", "kowalevski", "lalande", "lamarr", "lamport", "leakey", "leavitt",
    "lewin", "lichterman", "liskov", "lovelace", "lumiere", "mahavira", "mayer", "mccarthy",
    "mcclintock", "mclean", "mcnulty", "meitner", "mestorf", "mirzakhani", "montalcini", "moore",
    "morse", "moser", "napier", "nash", "neumann", "newton", "nightingale", "nobel", "noether",
    "northcutt", "noyce", "panini", "pare", "pasteur", "payne", "perlman", "pike", "poincare",
    "poitras", "ptolemy", "raman", "ramanujan", "ride", "ritchie", "roentgen", "rosalind", "saha",
    "sammet", "shamir", "shannon", "shaw", "shirley", "shockley", "sinoussi", "snyder", "spence",
    "stonebraker", "sutherland", "swanson", "swartz", "swirles", "taussig", "tesla", "thompson",
    "torvalds", "turing", "varahamihira", "visvesvaraya", "volhard", "wescoff", "wiles",
    "williams", "wilson", "wing", "wozniak", "wright", "yalow", "yonath",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_ids() {
        let (mut a, mut b) = (IdGenerator::new(7), IdGenerator::new(7));
        assert_eq!(a.hex_id(), b.hex_id());
        assert_eq!(a.container_name(), b.container_name());
        assert_ne!(IdGenerator::new(7).hex_id(), IdGenerator::new(8).hex_id());
    }

    #[test]
    fn ids_are_64_hex_digits() {
        let id = IdGenerator::new(1).hex_id();
        assert_eq!(id.len(), 64);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert_eq!(short_id(&id).len(), 12);
    }

    #[test]
    fn digest_of_empty_input_is_the_well_known_one() {
        assert_eq!(
            sha256_digest(b""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
