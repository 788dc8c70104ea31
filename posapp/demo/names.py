"""Name corpora for demo data, with realistic frequencies.

Surnames: approximate occurrences per 100,000 people from the US Census Bureau's 2010 surname table, plus a
tail of less common names (apostrophes, hyphens, many origins) so that search and e-mail code meets them.
First names: relative weights for the US adult population (Social Security card-application counts,
1950s-2000s births). Streets and business words are common US usage. All of it is public, aggregate data.
"""

from __future__ import annotations

SURNAMES: tuple[tuple[str, int], ...] = (
    ("Smith", 828), ("Johnson", 655), ("Williams", 551), ("Brown", 487), ("Jones", 483), ("Garcia", 395),
    ("Miller", 392), ("Davis", 383), ("Rodriguez", 365), ("Martinez", 353), ("Hernandez", 351),
    ("Lopez", 297), ("Gonzalez", 290), ("Wilson", 284), ("Anderson", 276), ("Thomas", 262), ("Taylor", 260),
    ("Moore", 248), ("Jackson", 246), ("Martin", 243), ("Lee", 236), ("Perez", 230), ("Thompson", 229),
    ("White", 228), ("Harris", 213), ("Sanchez", 208), ("Clark", 193), ("Ramirez", 193), ("Lewis", 186),
    ("Robinson", 185), ("Walker", 183), ("Young", 172), ("Allen", 171), ("King", 169), ("Wright", 167),
    ("Scott", 160), ("Torres", 158), ("Nguyen", 157), ("Hill", 156), ("Flores", 156), ("Green", 155),
    ("Adams", 154), ("Nelson", 153), ("Baker", 153), ("Hall", 150), ("Rivera", 142), ("Campbell", 141),
    ("Mitchell", 140), ("Carter", 139), ("Roberts", 139), ("Gomez", 126), ("Phillips", 125), ("Evans", 122),
    ("Turner", 121), ("Diaz", 120), ("Parker", 118), ("Cruz", 118), ("Edwards", 117), ("Collins", 116),
    ("Reyes", 116), ("Stewart", 114), ("Morris", 111), ("Morales", 110), ("Murphy", 108), ("Cook", 107),
    ("Rogers", 106), ("Gutierrez", 104), ("Ortiz", 103), ("Morgan", 102), ("Cooper", 102), ("Peterson", 101),
    ("Bailey", 100), ("Reed", 99), ("Kelly", 98), ("Howard", 98), ("Ramos", 98), ("Kim", 97), ("Cox", 96),
    ("Ward", 96), ("Richardson", 95), ("Watson", 94), ("Brooks", 93), ("Chavez", 93), ("Wood", 92),
    ("James", 92), ("Bennett", 91), ("Gray", 91), ("Mendoza", 90), ("Ruiz", 90), ("Hughes", 89),
    ("Price", 89), ("Alvarez", 88), ("Castillo", 88), ("Sanders", 87), ("Patel", 87), ("Myers", 86),
    ("Long", 86), ("Ross", 85), ("Foster", 85), ("Jimenez", 84), ("Powell", 84), ("Jenkins", 83),
    ("Perry", 83), ("Russell", 83), ("Sullivan", 82), ("Bell", 82), ("Coleman", 81), ("Butler", 81),
    ("Henderson", 80), ("Barnes", 80), ("Gonzales", 79), ("Fisher", 78), ("Vasquez", 78), ("Simmons", 77),
    ("Romero", 77), ("Jordan", 76), ("Patterson", 76), ("Alexander", 75), ("Hamilton", 75), ("Graham", 74),
    ("Reynolds", 74), ("Griffin", 74), ("Wallace", 73), ("Moreno", 73), ("West", 72), ("Cole", 71),
    ("Hayes", 71), ("Bryant", 71), ("Herrera", 71), ("Gibson", 70), ("Ellis", 70), ("Tran", 70),
    ("Medina", 70), ("Aguilar", 69), ("Stevens", 69), ("Murray", 69), ("Ford", 68), ("Castro", 68),
    ("Marshall", 68), ("Owens", 67), ("Harrison", 67), ("Fernandez", 67), ("McDonald", 66), ("Woods", 66),
    ("Washington", 66), ("Kennedy", 65), ("Wells", 65), ("Vargas", 64), ("Henry", 64), ("Chen", 64),
    ("Freeman", 64), ("Webb", 63), ("Tucker", 63), ("Guzman", 63), ("Burns", 62), ("Crawford", 62),
    ("Olson", 62), ("Simpson", 62), ("Porter", 61), ("Hunter", 61), ("Gordon", 61), ("Mendez", 61),
    ("Silva", 60), ("Shaw", 60), ("Snyder", 60), ("Mason", 60), ("Dixon", 59), ("Munoz", 59), ("Hunt", 59),
    ("Hicks", 58), ("Holmes", 58), ("Palmer", 58), ("Wagner", 58), ("Black", 58), ("Robertson", 57),
    ("Boyd", 57), ("Rose", 57), ("Stone", 56), ("Salazar", 56), ("Fox", 56), ("Warren", 56), ("Mills", 55),
    ("Meyer", 55), ("Rice", 55), ("Schmidt", 55), ("Garza", 55), ("Daniels", 54), ("Ferguson", 54),
    ("Nichols", 54), ("Stephens", 53), ("Soto", 53), ("Weaver", 53), ("Ryan", 53), ("Gardner", 53),
    ("Payne", 53), ("Grant", 52), ("Dunn", 52), ("Kelley", 52), ("Spencer", 52), ("Hawkins", 52),
    ("Arnold", 51), ("Pierce", 51), ("Vazquez", 51), ("Hansen", 51), ("Peters", 51), ("Santos", 51),
    ("Hart", 50), ("Bradley", 50), ("Knight", 50), ("Elliott", 50), ("Cunningham", 50), ("Duncan", 50),
    ("Armstrong", 50), ("Hudson", 49), ("Carroll", 49), ("Lane", 49), ("Riley", 49), ("Andrews", 49),
    ("Alvarado", 49), ("Ray", 49), ("Delgado", 48), ("Berry", 48), ("Perkins", 48), ("Hoffman", 48),
    ("Johnston", 48), ("Matthews", 48), ("Pena", 48), ("Richards", 47), ("Contreras", 47), ("Willis", 47),
    ("Carpenter", 47), ("Lawrence", 47), ("Sandoval", 47), ("Wang", 45), ("Li", 44), ("Le", 40),
    ("Pham", 38), ("Singh", 36), ("Park", 35), ("Huang", 33), ("Zhang", 32), ("Liu", 30), ("Khan", 25),
    ("Shah", 22), ("Yang", 30), ("Wu", 28), ("Choi", 20), ("Kaur", 18), ("Ali", 20), ("Cohen", 24),
    ("O'Brien", 22), ("O'Connor", 20), ("O'Neil", 12), ("McCarthy", 25), ("Murphy-Lopez", 3),
    ("Smith-Jones", 3), ("Nowak", 8), ("Kowalski", 9), ("Schneider", 20), ("Becker", 22), ("Yamamoto", 6),
    ("Tanaka", 6), ("Nakamura", 5), ("Okafor", 4), ("Adeyemi", 3), ("Mensah", 3), ("Haddad", 4),
    ("Nasser", 3), ("Rossi", 6), ("Russo", 10), ("Romano", 9), ("Fitzgerald", 18), ("Gallagher", 15),
    ("Dubois", 4), ("Lefebvre", 3), ("Jensen", 22), ("Larsen", 14), ("Lindqvist", 2), ("Novak", 8),
    ("Ivanov", 3), ("Petrov", 3), ("Begay", 8), ("Yazzie", 6), ("Kahananui", 1), ("DeLuca", 5),
    ("Van der Berg", 2), ("St. John", 3), ("Da Silva", 4),
)

FEMALE_FIRST: tuple[tuple[str, int], ...] = (
    ("Mary", 300), ("Patricia", 150), ("Jennifer", 190), ("Linda", 140), ("Elizabeth", 160),
    ("Barbara", 120), ("Susan", 120), ("Jessica", 150), ("Sarah", 140), ("Karen", 110), ("Lisa", 110),
    ("Nancy", 90), ("Betty", 60), ("Sandra", 80), ("Margaret", 70), ("Ashley", 130), ("Kimberly", 110),
    ("Emily", 120), ("Donna", 70), ("Michelle", 100), ("Carol", 60), ("Amanda", 110), ("Melissa", 100),
    ("Deborah", 70), ("Stephanie", 100), ("Dorothy", 40), ("Rebecca", 80), ("Sharon", 60), ("Laura", 80),
    ("Cynthia", 60), ("Amy", 80), ("Kathleen", 50), ("Angela", 70), ("Shirley", 35), ("Brenda", 50),
    ("Emma", 90), ("Anna", 60), ("Pamela", 45), ("Nicole", 80), ("Samantha", 80), ("Katherine", 60),
    ("Christine", 50), ("Helen", 30), ("Debra", 45), ("Rachel", 60), ("Carolyn", 35), ("Janet", 40),
    ("Maria", 90), ("Catherine", 45), ("Heather", 60), ("Diane", 40), ("Olivia", 80), ("Julie", 50),
    ("Joyce", 30), ("Victoria", 45), ("Ruth", 25), ("Virginia", 25), ("Lauren", 60), ("Kelly", 45),
    ("Christina", 55), ("Joan", 25), ("Evelyn", 30), ("Judith", 30), ("Andrea", 45), ("Hannah", 60),
    ("Megan", 55), ("Cheryl", 35), ("Jacqueline", 35), ("Martha", 25), ("Madison", 55), ("Teresa", 35),
    ("Gloria", 25), ("Sara", 40), ("Janice", 25), ("Ann", 25), ("Kathryn", 30), ("Abigail", 50),
    ("Sophia", 70), ("Frances", 20), ("Jean", 25), ("Alice", 20), ("Judy", 20), ("Isabella", 60),
    ("Julia", 40), ("Grace", 40), ("Amber", 40), ("Denise", 35), ("Danielle", 45), ("Marilyn", 20),
    ("Beverly", 20), ("Charlotte", 45), ("Natalie", 40), ("Theresa", 25), ("Diana", 30), ("Brittany", 45),
    ("Doris", 15), ("Kayla", 40), ("Alexis", 35), ("Lori", 25), ("Guadalupe", 20), ("Ximena", 8),
    ("Mei", 8), ("Priya", 10), ("Aaliyah", 20), ("Fatima", 8), ("Zoe", 25), ("Chloe", 30), ("Mia", 45),
    ("Ava", 50), ("Camila", 25), ("Yesenia", 10), ("Thi", 6), ("Siobhan", 3), ("Anne-Marie", 4),
)

MALE_FIRST: tuple[tuple[str, int], ...] = (
    ("James", 330), ("Robert", 310), ("John", 310), ("Michael", 320), ("David", 250), ("William", 240),
    ("Richard", 170), ("Joseph", 180), ("Thomas", 160), ("Christopher", 190), ("Charles", 140),
    ("Daniel", 180), ("Matthew", 160), ("Anthony", 130), ("Mark", 120), ("Donald", 100), ("Steven", 110),
    ("Andrew", 120), ("Paul", 100), ("Joshua", 130), ("Kenneth", 90), ("Kevin", 100), ("Brian", 100),
    ("George", 80), ("Timothy", 80), ("Ronald", 70), ("Jason", 100), ("Edward", 70), ("Jeffrey", 80),
    ("Ryan", 90), ("Jacob", 100), ("Gary", 60), ("Nicholas", 80), ("Eric", 70), ("Jonathan", 70),
    ("Stephen", 60), ("Larry", 50), ("Justin", 70), ("Scott", 60), ("Brandon", 75), ("Benjamin", 70),
    ("Samuel", 55), ("Gregory", 45), ("Alexander", 60), ("Patrick", 50), ("Frank", 40), ("Raymond", 40),
    ("Jack", 40), ("Dennis", 35), ("Jerry", 35), ("Tyler", 55), ("Aaron", 45), ("Jose", 70), ("Adam", 45),
    ("Nathan", 45), ("Henry", 35), ("Zachary", 40), ("Douglas", 30), ("Peter", 35), ("Kyle", 45),
    ("Noah", 55), ("Ethan", 55), ("Jeremy", 40), ("Walter", 25), ("Christian", 40), ("Keith", 30),
    ("Roger", 25), ("Terry", 25), ("Austin", 40), ("Sean", 35), ("Gerald", 25), ("Carl", 25), ("Harold", 20),
    ("Dylan", 35), ("Arthur", 20), ("Lawrence", 20), ("Jordan", 35), ("Jesse", 30), ("Bryan", 30),
    ("Billy", 20), ("Bruce", 20), ("Gabriel", 35), ("Joe", 20), ("Logan", 30), ("Alan", 20), ("Juan", 50),
    ("Albert", 20), ("Willie", 15), ("Elijah", 30), ("Wayne", 15), ("Randy", 20), ("Vincent", 20),
    ("Mason", 30), ("Roy", 15), ("Ralph", 12), ("Bobby", 12), ("Russell", 15), ("Bradley", 20),
    ("Philip", 15), ("Eugene", 10), ("Luis", 40), ("Carlos", 40), ("Miguel", 30), ("Jesus", 25),
    ("Ahmed", 8), ("Wei", 8), ("Raj", 6), ("Tuan", 5), ("Mohammed", 10), ("DeShawn", 6), ("Liam", 40),
    ("Lucas", 35), ("Mateo", 20), ("Hiroshi", 3), ("Jean-Pierre", 2), ("Kwame", 2), ("Santiago", 12),
)

STREET_NAMES: tuple[str, ...] = (
    "Main", "Oak", "Maple", "Cedar", "Pine", "Elm", "Washington", "Park", "Lake", "Hill", "Second", "Third",
    "First", "Fourth", "Fifth", "Sixth", "Seventh", "Walnut", "Spruce", "Sunset", "Lincoln", "Jackson",
    "Church", "Willow", "Highland", "Jefferson", "Madison", "Ridge", "River", "Meadow", "Forest", "Chestnut",
    "Adams", "Franklin", "Center", "Dogwood", "Birch", "Hickory", "Magnolia", "Mill", "Spring", "Valley",
    "Broadway", "Market", "Union", "Liberty", "Prospect", "Grove", "Sycamore", "Aspen", "Laurel", "Jasmine",
    "Orchard", "Harbor", "Bayview", "Fairview", "Kingston", "Cherry", "Poplar", "Redwood", "Rosewood",
    "Canyon", "Mesa", "Desert Willow", "Prairie", "Summit", "Heritage", "Country Club", "Cypress", "Palm",
    "Vista", "Monroe", "Hamilton", "Riverside", "Mulberry", "Peachtree", "Bluebonnet", "Juniper",
)
STREET_SUFFIXES: tuple[tuple[str, int], ...] = (
    ("St", 30), ("Ave", 22), ("Rd", 14), ("Dr", 14), ("Ln", 8), ("Blvd", 4), ("Ct", 5), ("Way", 5),
    ("Pl", 3), ("Ter", 2), ("Cir", 3), ("Pkwy", 2),
)
UNIT_PREFIXES: tuple[str, ...] = ("Apt", "Apt", "Apt", "Unit", "#", "Ste")

BUSINESS_WORDS: tuple[str, ...] = (
    "Plumbing", "Dental", "Landscaping", "Construction", "Electric", "Auto Repair", "Bakery", "Realty",
    "Logistics", "Consulting", "Roofing", "Pediatrics", "Law Group", "Insurance Agency", "Coffee Co.",
    "Veterinary Clinic", "HVAC", "Catering", "Cleaning Services", "Moving & Storage", "Fitness",
    "Marketing", "Design Studio", "Tire & Wheel", "Pest Control", "Florist", "Taqueria", "Brewing Co.",
    "Accounting", "Physical Therapy", "Trucking", "Home Health", "Barbershop", "Tutoring", "Print Shop",
)
BUSINESS_SUFFIXES: tuple[tuple[str, int], ...] = (
    ("LLC", 40), ("Inc.", 20), ("", 25), ("& Sons", 4), ("Group", 6), ("Co.", 5),
)
PLACE_WORDS: tuple[str, ...] = (
    "Cascade", "Summit", "Evergreen", "Pioneer", "Liberty", "Golden State", "Lone Star", "Bayside",
    "Riverbend", "Keystone", "Blue Ridge", "Prairie", "Coastal", "Metro", "Northside", "Sunrise",
)

# Domains reserved for documentation and tests (RFC 2606 / RFC 6761): demo e-mail can never reach anyone.
EMAIL_DOMAINS: tuple[tuple[str, int], ...] = (
    ("example.com", 30), ("example.net", 18), ("example.org", 12), ("mail.example", 14),
    ("inbox.example", 10), ("post.example", 6), ("webmail.test", 5), ("home.example", 5),
)
