"""The organisation tree of the demo: the head office, the regional directions of
Pôle emploi, one territorial direction per department and a few agencies in each."""

# (region code, region name, [(department number, department name, prefecture, second city)])
REGIONS = [
    ("ara", "Auvergne-Rhône-Alpes", [
        ("01", "Ain", "Bourg-en-Bresse", "Oyonnax"), ("03", "Allier", "Moulins", "Vichy"),
        ("07", "Ardèche", "Privas", "Annonay"), ("15", "Cantal", "Aurillac", "Saint-Flour"),
        ("26", "Drôme", "Valence", "Montélimar"), ("38", "Isère", "Grenoble", "Vienne"),
        ("42", "Loire", "Saint-Étienne", "Roanne"), ("43", "Haute-Loire", "Le Puy-en-Velay", "Yssingeaux"),
        ("63", "Puy-de-Dôme", "Clermont-Ferrand", "Thiers"), ("69", "Rhône", "Lyon", "Villefranche-sur-Saône"),
        ("73", "Savoie", "Chambéry", "Albertville"), ("74", "Haute-Savoie", "Annecy", "Annemasse"),
    ]),
    ("bfc", "Bourgogne-Franche-Comté", [
        ("21", "Côte-d’Or", "Dijon", "Beaune"), ("25", "Doubs", "Besançon", "Montbéliard"),
        ("39", "Jura", "Lons-le-Saunier", "Dole"), ("58", "Nièvre", "Nevers", "Cosne-Cours-sur-Loire"),
        ("70", "Haute-Saône", "Vesoul", "Lure"), ("71", "Saône-et-Loire", "Mâcon", "Chalon-sur-Saône"),
        ("89", "Yonne", "Auxerre", "Sens"), ("90", "Territoire de Belfort", "Belfort", "Delle"),
    ]),
    ("bre", "Bretagne", [
        ("22", "Côtes-d’Armor", "Saint-Brieuc", "Lannion"), ("29", "Finistère", "Quimper", "Brest"),
        ("35", "Ille-et-Vilaine", "Rennes", "Saint-Malo"), ("56", "Morbihan", "Vannes", "Lorient"),
    ]),
    ("cvl", "Centre-Val de Loire", [
        ("18", "Cher", "Bourges", "Vierzon"), ("28", "Eure-et-Loir", "Chartres", "Dreux"),
        ("36", "Indre", "Châteauroux", "Issoudun"), ("37", "Indre-et-Loire", "Tours", "Amboise"),
        ("41", "Loir-et-Cher", "Blois", "Vendôme"), ("45", "Loiret", "Orléans", "Montargis"),
    ]),
    ("cor", "Corse", [("2a", "Corse-du-Sud", "Ajaccio", "Porto-Vecchio"), ("2b", "Haute-Corse", "Bastia", "Corte")]),
    ("ges", "Grand Est", [
        ("08", "Ardennes", "Charleville-Mézières", "Sedan"), ("10", "Aube", "Troyes", "Romilly-sur-Seine"),
        ("51", "Marne", "Châlons-en-Champagne", "Reims"), ("52", "Haute-Marne", "Chaumont", "Saint-Dizier"),
        ("54", "Meurthe-et-Moselle", "Nancy", "Lunéville"), ("55", "Meuse", "Bar-le-Duc", "Verdun"),
        ("57", "Moselle", "Metz", "Thionville"), ("67", "Bas-Rhin", "Strasbourg", "Haguenau"),
        ("68", "Haut-Rhin", "Colmar", "Mulhouse"), ("88", "Vosges", "Épinal", "Saint-Dié-des-Vosges"),
    ]),
    ("hdf", "Hauts-de-France", [
        ("02", "Aisne", "Laon", "Saint-Quentin"), ("59", "Nord", "Lille", "Dunkerque"),
        ("60", "Oise", "Beauvais", "Compiègne"), ("62", "Pas-de-Calais", "Arras", "Calais"),
        ("80", "Somme", "Amiens", "Abbeville"),
    ]),
    ("idf", "Île-de-France", [
        ("75", "Paris", "Paris Centre", "Paris Nord"), ("77", "Seine-et-Marne", "Melun", "Meaux"),
        ("78", "Yvelines", "Versailles", "Mantes-la-Jolie"), ("91", "Essonne", "Évry-Courcouronnes", "Massy"),
        ("92", "Hauts-de-Seine", "Nanterre", "Boulogne-Billancourt"), ("93", "Seine-Saint-Denis", "Bobigny", "Saint-Denis"),
        ("94", "Val-de-Marne", "Créteil", "Vitry-sur-Seine"), ("95", "Val-d’Oise", "Cergy", "Argenteuil"),
    ]),
    ("nor", "Normandie", [
        ("14", "Calvados", "Caen", "Lisieux"), ("27", "Eure", "Évreux", "Vernon"),
        ("50", "Manche", "Saint-Lô", "Cherbourg-en-Cotentin"), ("61", "Orne", "Alençon", "Flers"),
        ("76", "Seine-Maritime", "Rouen", "Le Havre"),
    ]),
    ("naq", "Nouvelle-Aquitaine", [
        ("16", "Charente", "Angoulême", "Cognac"), ("17", "Charente-Maritime", "La Rochelle", "Saintes"),
        ("19", "Corrèze", "Tulle", "Brive-la-Gaillarde"), ("23", "Creuse", "Guéret", "Aubusson"),
        ("24", "Dordogne", "Périgueux", "Bergerac"), ("33", "Gironde", "Bordeaux", "Libourne"),
        ("40", "Landes", "Mont-de-Marsan", "Dax"), ("47", "Lot-et-Garonne", "Agen", "Villeneuve-sur-Lot"),
        ("64", "Pyrénées-Atlantiques", "Pau", "Bayonne"), ("79", "Deux-Sèvres", "Niort", "Bressuire"),
        ("86", "Vienne", "Poitiers", "Châtellerault"), ("87", "Haute-Vienne", "Limoges", "Saint-Junien"),
    ]),
    ("occ", "Occitanie", [
        ("09", "Ariège", "Foix", "Pamiers"), ("11", "Aude", "Carcassonne", "Narbonne"),
        ("12", "Aveyron", "Rodez", "Millau"), ("30", "Gard", "Nîmes", "Alès"),
        ("31", "Haute-Garonne", "Toulouse", "Saint-Gaudens"), ("32", "Gers", "Auch", "Condom"),
        ("34", "Hérault", "Montpellier", "Béziers"), ("46", "Lot", "Cahors", "Figeac"),
        ("48", "Lozère", "Mende", "Marvejols"), ("65", "Hautes-Pyrénées", "Tarbes", "Lourdes"),
        ("66", "Pyrénées-Orientales", "Perpignan", "Prades"), ("81", "Tarn", "Albi", "Castres"),
        ("82", "Tarn-et-Garonne", "Montauban", "Castelsarrasin"),
    ]),
    ("pdl", "Pays de la Loire", [
        ("44", "Loire-Atlantique", "Nantes", "Saint-Nazaire"), ("49", "Maine-et-Loire", "Angers", "Cholet"),
        ("53", "Mayenne", "Laval", "Château-Gontier"), ("72", "Sarthe", "Le Mans", "La Flèche"),
        ("85", "Vendée", "La Roche-sur-Yon", "Les Sables-d’Olonne"),
    ]),
    ("pac", "Provence-Alpes-Côte d’Azur", [
        ("04", "Alpes-de-Haute-Provence", "Digne-les-Bains", "Manosque"), ("05", "Hautes-Alpes", "Gap", "Briançon"),
        ("06", "Alpes-Maritimes", "Nice", "Cannes"), ("13", "Bouches-du-Rhône", "Marseille", "Aix-en-Provence"),
        ("83", "Var", "Toulon", "Fréjus"), ("84", "Vaucluse", "Avignon", "Carpentras"),
    ]),
    ("gua", "Guadeloupe", [("971", "Guadeloupe", "Basse-Terre", "Pointe-à-Pitre")]),
    ("mar", "Martinique", [("972", "Martinique", "Fort-de-France", "Le Lamentin")]),
    ("guy", "Guyane", [("973", "Guyane", "Cayenne", "Saint-Laurent-du-Maroni")]),
    ("reu", "La Réunion", [("974", "La Réunion", "Saint-Denis de La Réunion", "Saint-Pierre")]),
    ("myt", "Mayotte", [("976", "Mayotte", "Mamoudzou", "Koungou")]),
]  # fmt: skip
