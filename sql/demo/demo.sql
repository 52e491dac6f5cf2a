-- mod_cmcas demo data (SQLite).
--
-- Load after the schema:
--   sqlite3 db < sql/sqlite/001_schema.sql && sqlite3 db < sql/demo/demo.sql
--
-- Every activity date is relative to the day the data is loaded (date('now', ...)),
-- so the catalogue never goes stale: reload to refresh. Persons' birth dates are fixed.
-- All demo logins share the password "demo2026" (bcrypt, htpasswd -nbB -C 10).
-- See sql/demo/README.md for the list of logins and what the data exercises.

PRAGMA foreign_keys = ON;

BEGIN;

-- ---------------------------------------------------------------------------
-- CMCAS (addresses and payment settings live in httpd.conf)
-- ---------------------------------------------------------------------------
INSERT INTO cmcas (code, name) VALUES
    ('BN',       'CMCAS Berry-Nivernais'),
    ('TOURAINE', 'CMCAS Touraine'),
    ('LIMOUSIN', 'CMCAS Limousin');

-- ---------------------------------------------------------------------------
-- Households (one login each) and persons
-- ---------------------------------------------------------------------------
INSERT INTO household (id, cmcas_code, login, password, email, phone, street, postcode, city) VALUES
    (1, 'BN',       'gael.classen',   '$2y$10$YFpb5jxSCxfR1RoN2zvSpe5ScDtdC7NxnKmFvJ.mjB7zfxMLBII.m',
        'gael.classen@example.org',   '06 12 34 56 78', '14 rue des Arènes',           '18000', 'Bourges'),
    (2, 'BN',       'martine.dupont', '$2y$10$Wp314nEvSWDeJOzTQIaNkORelRzO8Oy8PXHs/KzoYVg77v.EtWy4O',
        'martine.dupont@example.org', '06 23 45 67 89', '7 avenue du Général de Gaulle', '58000', 'Nevers'),
    (3, 'BN',       'karim.benali',   '$2y$10$SXoVlRPLJKhKDSjC4rEaSuPhz00/Rnkp77F2.xGeE.h2ThhWJ7PJa',
        'karim.benali@example.org',   '07 34 56 78 90', '22 rue de la Gaucherie',      '18100', 'Vierzon'),
    (4, 'TOURAINE', 'sophie.martin',  '$2y$10$H12L5Le5NcBgsmjVt44TBubX2W6wYSqSHt3JQf2p5fOJt2WfMZM7q',
        'sophie.martin@example.org',  '06 45 67 89 01', '3 place Plumereau',           '37000', 'Tours');

-- Household 1 follows the tutorial's drop-down order: Gael, Aaron, Louane, Laetitia.
INSERT INTO person (id, household_id, role, last_name, first_name, birth_date) VALUES
    (1,  1, 'OD', 'CLASSEN',  'Gael',     '1981-03-14'),
    (2,  1, 'AD', 'CLASSEN',  'Aaron',    '2012-06-21'),
    (3,  1, 'AD', 'CLASSEN',  'Louane',   '2018-04-09'),
    (4,  1, 'AD', 'BESSIERE', 'Laetitia', '1983-09-02'),
    (5,  2, 'OD', 'DUPONT',   'Martine',  '1972-11-05'),
    (6,  2, 'AD', 'DUPONT',   'Pierre',   '1970-02-17'),
    (7,  2, 'AD', 'DUPONT',   'Léa',      '2010-07-30'),
    (8,  3, 'OD', 'BENALI',   'Karim',    '1990-05-23'),
    (9,  4, 'OD', 'MARTIN',   'Sophie',   '1985-12-01'),
    (10, 4, 'AD', 'MARTIN',   'Hugo',     '2015-03-18');

-- ---------------------------------------------------------------------------
-- Activities of CMCAS Berry-Nivernais (BN)
--   1-37  published, not finished (20, 26, 31, 34: registrations closed)
--   38    finished (must not be listed)
--   39-40 not published yet (NULL / in the future: must not be listed)
-- ---------------------------------------------------------------------------
INSERT INTO activity (id, cmcas_code, theme, title, description, image, place,
                      start_date, end_date, closing_date, capacity, places_taken,
                      published_at, open_to_others, mode) VALUES
(1, 'BN', 'LOISIR', 'Atelier gourmand',
'Réaliser 1 à 3 recettes (convenues à l''avance) avec les conseils du chef de l''Atelier Gourmand, vous disposerez de l''ensemble des ingrédients et des ustensiles nécessaires à la réalisation des recettes.

Rendez-vous à 10h00 à l''Atelier Gourmand 2 rue Montescot 28000 Chartres.

L''atelier se terminera aux alentours de 12h00 et vous pourrez emporter les mets confectionnés afin de les déguster en famille.',
 '/static/img/atelier-gourmand.svg', 'Atelier gourmand',
 date('now', '+24 days'), date('now', '+24 days'), date('now', '+5 days'), 10, 0,
 date('now', '-2 days'), 0, 'immediat'),

(2, 'BN', 'CULTURE', 'Journée Cité des Sciences II',
'Une journée à la Cité des sciences et de l''industrie pour petits et grands : expositions permanentes Explora, Cité des enfants (2-7 ans et 5-12 ans) et séance au Planétarium.

Départ en car à 7h00 du parking de la CMCAS à Bourges, retour prévu vers 20h00. Le déjeuner est libre (possibilité de pique-nique sur place).',
 '/static/img/cite-sciences.svg', 'Cité des sciences et de l''industrie, Paris',
 date('now', '+31 days'), date('now', '+31 days'), date('now', '+10 days'), 50, 0,
 date('now', '-8 days'), 0, 'tour_de_role'),

(3, 'BN', 'VOYAGE-SEJOUR', 'Séjour Afrique du Sud',
'Douze jours pour découvrir l''Afrique du Sud : Le Cap et la montagne de la Table, la route des vins de Stellenbosch, le cap de Bonne-Espérance, puis trois jours de safari dans le parc Kruger.

Vols au départ de Paris, hébergement en hôtels 3* et lodges, pension complète sauf deux repas, guide francophone pendant tout le circuit. Passeport valable six mois après le retour obligatoire.

Activité à tour de rôle : la sélection des participants a lieu à la date de clôture des inscriptions.',
 '/static/img/afrique-du-sud.svg', 'Le Cap et parc Kruger, Afrique du Sud',
 date('now', '+95 days'), date('now', '+106 days'), date('now', '+30 days'), 30, 0,
 date('now', '-5 days'), 1, 'tour_de_role'),

(4, 'BN', 'CULTURE', 'Sortie à l''Opéra de Vichy',
'Soirée à l''Opéra de Vichy, joyau Art nouveau classé monument historique, pour une représentation de « La Traviata » de Verdi.

Départ en car de Bourges à 16h30 avec un arrêt à Nevers, retour dans la nuit. Places en corbeille.',
 '/static/img/theme-culture.svg', 'Opéra de Vichy',
 date('now', '+40 days'), date('now', '+40 days'), date('now', '+15 days'), 40, 0,
 date('now', '-20 days'), 0, 'tour_de_role'),

(5, 'BN', 'CULTURE', 'Théâtre : "Le Malade imaginaire"',
'La compagnie du Théâtre de la Lune revisite la dernière comédie de Molière, dans une mise en scène enlevée accessible dès 10 ans.

Représentation à 20h30, placement libre. Durée : 1h45 sans entracte.',
 '/static/img/theme-culture.svg', 'Maison de la Culture de Bourges',
 date('now', '+18 days'), date('now', '+18 days'), date('now', '+12 days'), 60, 0,
 date('now', '-12 days'), 0, 'immediat'),

(6, 'BN', 'CULTURE', 'Visite guidée du château de Meillant',
'Visite guidée du château de Meillant, chef-d''œuvre du gothique flamboyant au cœur du Berry, de ses appartements et de son parc.

Rendez-vous à 14h00 devant l''entrée du château. Covoiturage possible depuis Bourges : signalez-le dans vos observations.',
 '/static/img/theme-culture.svg', 'Château de Meillant',
 date('now', '+27 days'), date('now', '+27 days'), date('now', '+20 days'), 25, 0,
 date('now', '-35 days'), 0, 'immediat'),

(7, 'BN', 'CULTURE', 'Musée de la Faïence et atelier céramique',
'Visite commentée des collections du musée de la Faïence de Nevers, suivie d''un atelier de peinture sur faïence animé par une céramiste.

Les pièces décorées sont cuites puis mises à disposition à la CMCAS trois semaines plus tard. L''atelier est offert aux bénéficiaires.',
 NULL, 'Musée de la Faïence, Nevers',
 date('now', '+45 days'), date('now', '+45 days'), date('now', '+30 days'), 15, 0,
 date('now', '-50 days'), 0, 'immediat'),

(8, 'BN', 'CULTURE', 'Soirée jazz au Palais d''Auron',
'Le big band « Berry Swing Orchestra » et ses invités reprennent les grands standards de Duke Ellington et Count Basie.

Ouverture des portes à 20h00, concert à 20h30. Placement assis non numéroté.',
 '/static/img/theme-culture.svg', 'Palais d''Auron, Bourges',
 date('now', '+60 days'), date('now', '+60 days'), date('now', '+45 days'), 80, 0,
 date('now', '-58 days'), 0, 'immediat'),

(9, 'BN', 'FORMATION', 'Formation premiers secours (PSC1)',
'Apprenez les gestes qui sauvent : protéger, alerter, masser, défibriller. La formation PSC1 est dispensée par un formateur agréé de la Protection civile et donne lieu à un certificat.

Journée complète de 9h00 à 17h00, repas de midi compris. À partir de 10 ans.',
 '/static/img/theme-formation.svg', 'Salle de formation de la CMCAS, Bourges',
 date('now', '+21 days'), date('now', '+21 days'), date('now', '+14 days'), 10, 0,
 date('now', '-10 days'), 0, 'immediat'),

(10, 'BN', 'FORMATION', 'Atelier numérique : débuter avec sa tablette',
'Quatre séances de deux heures pour prendre en main sa tablette : réglages, messagerie, photos, appels vidéo avec ses proches et démarches en ligne en toute sécurité.

Apportez votre tablette chargée. Atelier gratuit, réservé aux bénéficiaires.',
 '/static/img/theme-formation.svg', 'Espace numérique de la CMCAS, Bourges',
 date('now', '+16 days'), date('now', '+37 days'), date('now', '+9 days'), 8, 0,
 date('now', '-25 days'), 0, 'immediat'),

(11, 'BN', 'FORMATION', 'Initiation à la photographie numérique',
'Stage de deux jours avec un photographe professionnel : exposition, composition, lumière naturelle, puis sortie pratique dans les rues de Nevers et retouche des images.

Appareil reflex, hybride ou compact expert conseillé ; quelques appareils peuvent être prêtés.',
 '/static/img/theme-formation.svg', 'Salle des fêtes de Nevers',
 date('now', '+50 days'), date('now', '+51 days'), date('now', '+35 days'), 12, 0,
 date('now', '-40 days'), 0, 'tour_de_role'),

(12, 'BN', 'FORMATION', 'Formation « Gestes & postures » au quotidien',
'Porter, se pencher, jardiner, bricoler : une ergonome vous montre comment préserver votre dos au quotidien, exercices pratiques à l''appui.

Demi-journée de 14h00 à 17h30, tenue souple conseillée. Gratuit.',
 NULL, 'Salle des fêtes de Nevers',
 date('now', '+33 days'), date('now', '+33 days'), date('now', '+26 days'), 15, 0,
 date('now', '-14 days'), 0, 'immediat'),

(13, 'BN', 'LOISIR', 'Stage de Pâtisserie : macarons et entremets',
'Un chef pâtissier vous dévoile les secrets des macarons et d''un entremets aux fruits de saison.

Ingrédients, matériel et tablier fournis ; vous repartez avec vos créations. De 9h30 à 16h00, déjeuner pris ensemble sur place.',
 '/static/img/atelier-gourmand.svg', 'Lycée hôtelier de Bourges',
 date('now', '+38 days'), date('now', '+38 days'), date('now', '+28 days'), 8, 0,
 date('now', '-4 days'), 0, 'immediat'),

(14, 'BN', 'LOISIR', 'Soirée jeux de société en famille',
'Jeux de plateau, d''ambiance et de stratégie pour tous les âges, animés par la ludothèque de Saint-Doulchard. Crêpes et boissons offertes.

De 18h00 à 22h00.',
 '/static/img/theme-loisir.svg', 'Salle des fêtes de Saint-Doulchard',
 date('now', '+11 days'), date('now', '+11 days'), date('now', '+9 days'), 40, 0,
 date('now', '-17 days'), 0, 'immediat'),

(15, 'BN', 'LOISIR', 'Journée pêche à l''étang de Goule',
'Journée de pêche au coup et au carnassier sur l''étang de Goule, encadrée par l''association de pêche locale. Initiation possible pour les enfants.

Matériel non fourni. Repas champêtre servi à midi au bord de l''étang.',
 '/static/img/theme-loisir.svg', 'Étang de Goule',
 date('now', '+35 days'), date('now', '+35 days'), date('now', '+25 days'), 20, 0,
 date('now', '-45 days'), 0, 'immediat'),

(16, 'BN', 'LOISIR', 'Karting sur le circuit de Magny-Cours',
'Deux sessions de quinze minutes en karting sur la piste du circuit de Nevers Magny-Cours, chronométrage et remise des prix.

À partir de 14 ans (1,50 m minimum). Casque et combinaison fournis.',
 '/static/img/theme-loisir.svg', 'Circuit de Nevers Magny-Cours',
 date('now', '+52 days'), date('now', '+52 days'), date('now', '+34 days'), 24, 0,
 date('now', '-30 days'), 1, 'tour_de_role'),

(17, 'BN', 'LOISIR', 'Atelier d''art floral : composition de Noël',
'Réalisez votre centre de table de fêtes avec une fleuriste : branchages, bougies et fleurs de saison.

Fournitures comprises, prévoir un sécateur si vous en avez un.',
 '/static/img/theme-loisir.svg', 'Maison des associations, Vierzon',
 date('now', '+19 days'), date('now', '+19 days'), date('now', '+12 days'), 12, 0,
 date('now', '-9 days'), 0, 'immediat'),

(18, 'BN', 'LOISIR', 'Escape game « Le trésor des ducs de Berry »',
'Une heure pour résoudre les énigmes et retrouver le trésor caché du duc Jean de Berry. Équipes de 3 à 6 joueurs, à partir de 10 ans.

Indiquez dans vos observations avec qui vous souhaitez jouer.',
 '/static/img/theme-loisir.svg', 'Escape game du centre-ville, Bourges',
 date('now', '+43 days'), date('now', '+43 days'), date('now', '+30 days'), 18, 0,
 date('now', '-55 days'), 0, 'immediat'),

(19, 'BN', 'SANTE-PREVOYANCE', 'Journée prévention santé et dépistage',
'Stands d''information et dépistages gratuits : tension, glycémie, audition, vision, avec les professionnels de santé partenaires de la CMCAS.

Entrée libre de 9h00 à 17h00 ; l''inscription permet de réserver un créneau de dépistage.',
 '/static/img/theme-sante.svg', 'Salle des fêtes de Nevers',
 date('now', '+14 days'), date('now', '+14 days'), date('now', '+10 days'), 100, 0,
 date('now', '-22 days'), 0, 'immediat'),

(20, 'BN', 'SANTE-PREVOYANCE', 'Conférence : bien dormir pour bien vivre',
'Un médecin du sommeil explique les mécanismes du sommeil, les effets des écrans et du travail posté, et donne des conseils pratiques pour mieux dormir.

Conférence gratuite suivie d''un temps d''échange.',
 '/static/img/theme-sante.svg', 'Amphithéâtre de l''IUT de Bourges',
 date('now', '+3 days'), date('now', '+3 days'), date('now', '-5 days'), 120, 0,
 date('now', '-38 days'), 0, 'immediat'),

(21, 'BN', 'SANTE-PREVOYANCE', 'Atelier sophrologie et gestion du stress',
'Cycle de cinq séances hebdomadaires avec une sophrologue diplômée : respiration, relaxation dynamique, visualisation.

Séances le mardi de 18h30 à 19h30. Prévoir une tenue confortable et un tapis.',
 '/static/img/theme-sante.svg', 'Maison des associations, Vierzon',
 date('now', '+29 days'), date('now', '+57 days'), date('now', '+20 days'), 12, 0,
 date('now', '-6 days'), 0, 'tour_de_role'),

(22, 'BN', 'SANTE-PREVOYANCE', 'Yoga doux et respiration',
'Six séances de yoga doux, accessibles à tous quel que soit l''âge ou la condition physique.

Le jeudi de 10h00 à 11h15.',
 '/static/img/theme-sante.svg', 'Gymnase municipal, Vierzon',
 date('now', '+22 days'), date('now', '+64 days'), date('now', '+15 days'), 15, 0,
 date('now', '-48 days'), 0, 'immediat'),

(23, 'BN', 'SANTE-PREVOYANCE', 'Réunion d''information : prévoyance et retraite',
'Mutuelle, prévoyance, préparation de la retraite : les conseillers de la CMCAS et de la Camieg répondent à vos questions.

Réunion gratuite, ouverte aux actifs comme aux retraités.',
 NULL, 'CMCAS Berry-Nivernais, Bourges',
 date('now', '+26 days'), date('now', '+26 days'), date('now', '+24 days'), 60, 0,
 date('now', '-16 days'), 0, 'immediat'),

(24, 'BN', 'SPORT', 'Randonnée dans le Morvan',
'Deux jours de randonnée accompagnée au cœur du Parc naturel régional du Morvan : lacs, forêts et sommets du Haut-Morvan (15 à 20 km par jour).

Nuit en gîte en demi-pension, pique-nique du midi fourni. Bonnes chaussures de marche indispensables.',
 '/static/img/theme-sport.svg', 'Gîte du Morvan, Château-Chinon',
 date('now', '+30 days'), date('now', '+31 days'), date('now', '+16 days'), 30, 0,
 date('now', '-3 days'), 1, 'immediat'),

(25, 'BN', 'SPORT', 'Aquagym à la Piscine de Bourges',
'Dix séances d''aquagym encadrées par un maître-nageur, le mercredi de 19h00 à 19h45.

Bonnet de bain obligatoire.',
 '/static/img/theme-sport.svg', 'Piscine de Bourges',
 date('now', '+9 days'), date('now', '+72 days'), date('now', '+7 days'), 20, 0,
 date('now', '-28 days'), 0, 'immediat'),

(26, 'BN', 'SPORT', 'Tournoi de pétanque inter-SLVie',
'Tournoi en doublettes ouvert à tous les niveaux, en quatre parties le matin puis concours principal et consolante l''après-midi.

Inscription gratuite ; repas du midi sur réservation.',
 '/static/img/theme-sport.svg', 'Boulodrome de Saint-Amand-Montrond',
 date('now', '+5 days'), date('now', '+5 days'), date('now', '-2 days'), 64, 0,
 date('now', '-33 days'), 0, 'immediat'),

(27, 'BN', 'SPORT', 'La Loire à vélo : de Nevers à Sancerre',
'Trois jours à vélo le long de la Loire et du canal latéral, environ 40 km par jour, accompagnés par un guide.

Bagages transportés d''une étape à l''autre. Vélos à assistance électrique disponibles sur demande.',
 '/static/img/theme-sport.svg', 'Nevers - Sancerre',
 date('now', '+48 days'), date('now', '+50 days'), date('now', '+30 days'), 16, 0,
 date('now', '-42 days'), 0, 'tour_de_role'),

(28, 'BN', 'SPORT', 'Week-end ski de fond aux Rousses',
'Un week-end de ski de fond dans le Jura : cours en classique ou en skating le samedi matin, balade nordique le dimanche.

Transport en car, hébergement en chalet en pension complète, location du matériel et forfait compris.',
 '/static/img/theme-sport.svg', 'Les Rousses, Jura',
 date('now', '+75 days'), date('now', '+77 days'), date('now', '+40 days'), 20, 0,
 date('now', '-26 days'), 0, 'tour_de_role'),

(29, 'BN', 'SPORT', 'Les Foulées de Bourges',
'Rejoignez l''équipe de la CMCAS pour les 10 km des Foulées de Bourges. Maillot de l''équipe offert.

Certificat médical ou licence FFA à fournir au retrait du dossard.',
 NULL, 'Place Séraucourt, Bourges',
 date('now', '+40 days'), date('now', '+40 days'), date('now', '+35 days'), 50, 0,
 date('now', '-57 days'), 0, 'immediat'),

(30, 'BN', 'VIE-ORGANISME', 'Assemblée générale des SLVie',
'Les sections locales d''activités (SLVie) présentent le bilan de l''année et le programme à venir. Tous les bénéficiaires sont invités à participer et à voter.

Pot de l''amitié à l''issue de l''assemblée.',
 '/static/img/theme-vie-organisme.svg', 'Salle des fêtes de Nevers',
 date('now', '+23 days'), date('now', '+23 days'), date('now', '+20 days'), 200, 0,
 date('now', '-21 days'), 0, 'immediat'),

(31, 'BN', 'VIE-ORGANISME', 'Réunion d''accueil des nouveaux bénéficiaires',
'Présentation de la CMCAS, de ses activités et de ses services aux agents récemment embauchés et à leurs familles.',
 '/static/img/theme-vie-organisme.svg', 'CMCAS Berry-Nivernais, 3 rue Marcel Paul, Bourges',
 date('now'), date('now'), date('now', '-1 days'), 40, 0,
 date('now', '-29 days'), 0, 'immediat'),

(32, 'BN', 'VIE-ORGANISME', 'Arbre de Noël de la CMCAS',
'Spectacle de magie, visite du Père Noël et goûter pour les enfants des bénéficiaires.

Deux séances, à 14h00 et à 16h30 : précisez votre préférence dans vos observations.',
 '/static/img/theme-vie-organisme.svg', 'Palais d''Auron, Bourges',
 date('now', '+19 days'), date('now', '+19 days'), date('now', '+8 days'), 300, 0,
 date('now', '-11 days'), 0, 'immediat'),

(33, 'BN', 'VIE-ORGANISME', 'Fête de la CMCAS et des SLVie',
'Une journée festive pour tous : jeux pour les enfants, tournois, concert et repas champêtre.

Venez nombreux rencontrer les bénévoles des SLVie !',
 '/static/img/theme-vie-organisme.svg', 'Parc de loisirs du Val d''Auron, Bourges',
 date('now', '+55 days'), date('now', '+55 days'), date('now', '+40 days'), 250, 0,
 date('now', '-1 days'), 0, 'immediat'),

(34, 'BN', 'VOYAGE-SEJOUR', 'Week-end au Puy du Fou',
'Deux jours au Grand Parc du Puy du Fou avec ses grands spectacles, et en option la Cinéscénie le samedi soir.

Transport en car grand tourisme, nuit en hôtel 3* avec petit déjeuner.',
 '/static/img/theme-voyage.svg', 'Puy du Fou, Les Epesses',
 date('now', '+20 days'), date('now', '+21 days'), date('now', '-3 days'), 45, 0,
 date('now', '-44 days'), 0, 'tour_de_role'),

(35, 'BN', 'VOYAGE-SEJOUR', 'Séjour ski en Savoie',
'Une semaine aux Arcs en village vacances, pension complète, clubs enfants à partir de 4 ans.

Transport en car depuis Bourges et Nevers. Cours de ski ESF possibles sur place (non compris).',
 '/static/img/theme-voyage.svg', 'Les Arcs, Savoie',
 date('now', '+80 days'), date('now', '+86 days'), date('now', '+45 days'), 40, 0,
 date('now', '-13 days'), 0, 'tour_de_role'),

(36, 'BN', 'VOYAGE-SEJOUR', 'Croisière sur le Rhin',
'Cinq jours de croisière fluviale de Strasbourg à Coblence : la vallée du Rhin romantique, la Lorelei et ses châteaux.

Pension complète à bord, excursions guidées comprises. Départ en car depuis Bourges.',
 '/static/img/theme-voyage.svg', 'Strasbourg - Coblence',
 date('now', '+120 days'), date('now', '+124 days'), date('now', '+60 days'), 35, 0,
 date('now', '-36 days'), 1, 'tour_de_role'),

(37, 'BN', 'VOYAGE-SEJOUR', 'Séjour famille au Gîte du Morvan',
'Cinq jours en famille au Gîte du Morvan : randonnées, baignade au lac des Settons, visite d''une ferme et veillées contes.

Hébergement en chambres familiales, pension complète.',
 '/static/img/theme-voyage.svg', 'Gîte du Morvan, Montsauche-les-Settons',
 date('now', '+58 days'), date('now', '+62 days'), date('now', '+40 days'), 24, 0,
 date('now', '-52 days'), 0, 'immediat'),

-- finished: not listed any more
(38, 'BN', 'LOISIR', 'Brocante solidaire de la CMCAS',
'Vide-grenier au profit du Secours populaire.',
 '/static/img/theme-loisir.svg', 'Parking de la CMCAS, Bourges',
 date('now', '-12 days'), date('now', '-12 days'), date('now', '-20 days'), 50, 0,
 date('now', '-60 days'), 0, 'immediat'),

-- not published yet: never listed
(39, 'BN', 'VOYAGE-SEJOUR', 'Séjour en Corse',
'Programme en cours de préparation.',
 '/static/img/theme-voyage.svg', 'Porto-Vecchio, Corse',
 date('now', '+150 days'), date('now', '+157 days'), date('now', '+90 days'), 30, 0,
 NULL, 0, 'tour_de_role'),

(40, 'BN', 'CULTURE', 'Concert du Nouvel An',
'L''orchestre d''harmonie de Bourges fête la nouvelle année.',
 '/static/img/theme-culture.svg', 'Auditorium de Bourges',
 date('now', '+34 days'), date('now', '+34 days'), date('now', '+25 days'), 100, 0,
 date('now', '+5 days'), 0, 'immediat');

-- ---------------------------------------------------------------------------
-- Activities of other CMCAS
--   41-44, 46-49  open to others (46: registrations closed)
--   45, 50        not open to others: never shown to BN members
--   51            open to others but not published yet
-- ---------------------------------------------------------------------------
INSERT INTO activity (id, cmcas_code, theme, title, description, image, place,
                      start_date, end_date, closing_date, capacity, places_taken,
                      published_at, open_to_others, mode) VALUES
(41, 'TOURAINE', 'CULTURE', 'Visite des châteaux de la Loire : Chenonceau et Amboise',
'Journée guidée dans deux joyaux de la Renaissance : le château de Chenonceau enjambant le Cher, puis le château royal d''Amboise et la chapelle où repose Léonard de Vinci.

Départ en car de Tours à 8h30, déjeuner au restaurant compris.',
 '/static/img/theme-culture.svg', 'Château de Chenonceau',
 date('now', '+36 days'), date('now', '+36 days'), date('now', '+20 days'), 50, 0,
 date('now', '-7 days'), 1, 'tour_de_role'),

(42, 'TOURAINE', 'LOISIR', 'Dégustation dans les caves de Vouvray',
'Visite d''une cave troglodytique et dégustation commentée de vins de Vouvray, accompagnée de fromages de Sainte-Maure.

À consommer avec modération. Réservé aux adultes.',
 '/static/img/theme-loisir.svg', 'Caves de Vouvray',
 date('now', '+25 days'), date('now', '+25 days'), date('now', '+15 days'), 20, 0,
 date('now', '-24 days'), 1, 'immediat'),

(43, 'TOURAINE', 'SPORT', 'Canoë sur le Cher',
'Descente du Cher en canoë biplace, de Chisseaux à Chenonceau, avec vue imprenable sur la galerie du château.

Savoir nager est obligatoire. À partir de 8 ans accompagné.',
 '/static/img/theme-sport.svg', 'Base nautique de Chisseaux',
 date('now', '+44 days'), date('now', '+44 days'), date('now', '+30 days'), 16, 0,
 date('now', '-39 days'), 1, 'immediat'),

(44, 'TOURAINE', 'VOYAGE-SEJOUR', 'Séjour à l''île d''Oléron',
'Une semaine en village vacances à Saint-Trojan-les-Bains : plages, pistes cyclables, port de la Cotinière et parcs ostréicoles.

Hébergement en pension complète, animations enfants et adultes.',
 '/static/img/theme-voyage.svg', 'Saint-Trojan-les-Bains, île d''Oléron',
 date('now', '+140 days'), date('now', '+147 days'), date('now', '+70 days'), 30, 0,
 date('now', '-18 days'), 1, 'tour_de_role'),

(45, 'TOURAINE', 'LOISIR', 'Atelier rillettes et cuisine tourangelle',
'Préparez rillettes, rillons et nougat de Tours avec un charcutier traiteur tourangeau.',
 '/static/img/atelier-gourmand.svg', 'CMCAS Touraine, Tours',
 date('now', '+15 days'), date('now', '+15 days'), date('now', '+10 days'), 10, 0,
 date('now', '-10 days'), 0, 'immediat'),

(46, 'TOURAINE', 'SANTE-PREVOYANCE', 'Conférence : prévenir les troubles musculo-squelettiques',
'Un kinésithérapeute et un ergonome présentent les bons réflexes pour prévenir les TMS au travail comme à la maison.

Conférence gratuite.',
 '/static/img/theme-sante.svg', 'Salle Ockeghem, Tours',
 date('now', '+2 days'), date('now', '+2 days'), date('now', '-4 days'), 80, 0,
 date('now', '-27 days'), 1, 'immediat'),

(47, 'LIMOUSIN', 'SPORT', 'Randonnée sur le plateau de Millevaches',
'Deux jours de randonnée entre tourbières, landes de bruyère et lac de Vassivière, avec un accompagnateur en montagne.

Nuit en refuge, repas compris. Niveau moyen : 18 km par jour.',
 '/static/img/theme-sport.svg', 'Plateau de Millevaches',
 date('now', '+28 days'), date('now', '+29 days'), date('now', '+18 days'), 25, 0,
 date('now', '-9 days'), 1, 'immediat'),

(48, 'LIMOUSIN', 'FORMATION', 'Initiation à la peinture sur porcelaine de Limoges',
'Stage de deux jours dans un atelier de décor sur porcelaine : techniques de pinceau, dorure et cuisson.

Chaque participant repart avec deux pièces décorées. Fournitures comprises.',
 '/static/img/theme-formation.svg', 'Atelier de porcelaine, Limoges',
 date('now', '+47 days'), date('now', '+48 days'), date('now', '+30 days'), 10, 0,
 date('now', '-31 days'), 1, 'tour_de_role'),

(49, 'LIMOUSIN', 'SANTE-PREVOYANCE', 'Séjour thermal et bien-être à Évaux-les-Bains',
'Cinq jours de remise en forme à la station thermale d''Évaux-les-Bains : bains, massages, aquagym et marche nordique.

Hébergement en hôtel 3*, demi-pension.',
 NULL, 'Évaux-les-Bains, Creuse',
 date('now', '+66 days'), date('now', '+70 days'), date('now', '+45 days'), 20, 0,
 date('now', '-46 days'), 1, 'immediat'),

(50, 'LIMOUSIN', 'VIE-ORGANISME', 'Assemblée des bénéficiaires du Limousin',
'Assemblée annuelle des bénéficiaires de la CMCAS Limousin.',
 '/static/img/theme-vie-organisme.svg', 'CMCAS Limousin, Limoges',
 date('now', '+21 days'), date('now', '+21 days'), date('now', '+18 days'), 150, 0,
 date('now', '-16 days'), 0, 'immediat'),

(51, 'LIMOUSIN', 'VOYAGE-SEJOUR', 'Séjour en Dordogne',
'Programme en cours de préparation.',
 '/static/img/theme-voyage.svg', 'Sarlat-la-Canéda',
 date('now', '+130 days'), date('now', '+136 days'), date('now', '+70 days'), 30, 0,
 NULL, 1, 'immediat');

-- ---------------------------------------------------------------------------
-- Options (prestations). Guests pay the full price, without CMCAS participation.
-- Activities with no option are free: 10, 12, 19, 20, 23, 30, 31, 46, 50.
-- ---------------------------------------------------------------------------
INSERT INTO activity_option (id, activity_id, position, label,
                             price_beneficiary, participation_beneficiary,
                             price_guest, participation_guest) VALUES
    (1,  1,  1, 'Atelier gourmand',                              3000,  1000,   4000, 0),
    (2,  2,  1, 'Option 1',                                      1000,   500,   1500, 0),
    (3,  3,  1, 'Séjour en chambre double (par personne)',     185000, 40000, 240000, 0),
    (4,  3,  2, 'Supplément chambre individuelle',              32000,     0,  32000, 0),
    (5,  3,  3, 'Excursion en montgolfière',                    21000,  5000,  26000, 0),
    (6,  4,  1, 'Place en corbeille et transport en car',        3500,  2500,   6000, 0),
    (7,  5,  1, 'Place adulte',                                  1200,   800,   2000, 0),
    (8,  5,  2, 'Place enfant (< 12 ans)',                        500,   700,   1200, 0),
    (9,  6,  1, 'Entrée et visite guidée',                        600,   400,   1000, 0),
    (10, 7,  1, 'Visite et atelier céramique',                      0,  1500,   1500, 0),
    (11, 8,  1, 'Place assise',                                  1500,  1000,   2500, 0),
    (12, 9,  1, 'Formation PSC1 (7 h, repas compris)',           2000,  4000,   6000, 0),
    (13, 11, 1, 'Stage de deux jours',                           4000,  3000,   7000, 0),
    (14, 13, 1, 'Stage (ingrédients et matériel fournis)',       4500,  2500,   7000, 0),
    (15, 14, 1, 'Adulte',                                         300,   200,    500, 0),
    (16, 14, 2, 'Enfant (< 12 ans)',                                0,   300,    300, 0),
    (17, 15, 1, 'Carte de pêche journée',                         500,   500,   1000, 0),
    (18, 15, 2, 'Repas champêtre',                               1000,  1000,   2000, 0),
    (19, 16, 1, 'Deux sessions de 15 minutes',                   3500,  3000,   6500, 0),
    (20, 16, 2, 'Déjeuner au restaurant du circuit',             1800,   700,   2500, 0),
    (21, 17, 1, 'Atelier et fournitures',                        1500,  1000,   2500, 0),
    (22, 18, 1, 'Partie d''une heure',                           1200,  1300,   2500, 0),
    (23, 21, 1, 'Cycle de 5 séances',                            2500,  2500,   5000, 0),
    (24, 22, 1, 'Trimestre (6 séances)',                         3000,  3000,   6000, 0),
    (25, 24, 1, 'Randonnée et nuit en gîte (demi-pension)',      4500,  3500,   8000, 0),
    (26, 25, 1, 'Carte 10 séances',                              3000,  2000,   5000, 0),
    (27, 26, 1, 'Inscription au tournoi',                           0,     0,    500, 0),
    (28, 26, 2, 'Repas du midi',                                  800,   700,   1500, 0),
    (29, 27, 1, 'Hébergement et repas (2 nuits)',                9000,  6000,  15000, 0),
    (30, 27, 2, 'Location de vélo (3 jours)',                    3000,  1500,   4500, 0),
    (31, 27, 3, 'Supplément vélo à assistance électrique',       2500,     0,   2500, 0),
    (32, 28, 1, 'Forfait, matériel et hébergement',             16000,  9000,  25000, 0),
    (33, 29, 1, 'Dossard 10 km',                                  500,  1000,   1500, 0),
    (34, 32, 1, 'Spectacle et goûter (enfant)',                     0,  1500,   1500, 0),
    (35, 32, 2, 'Spectacle et goûter (adulte)',                   300,   700,   1000, 0),
    (36, 33, 1, 'Repas champêtre',                               1000,  1200,   2200, 0),
    (37, 34, 1, 'Week-end (entrées, hôtel, car)',               11000,  8000,  19000, 0),
    (38, 34, 2, 'Cinéscénie',                                    2000,  1000,   3000, 0),
    (39, 35, 1, 'Séjour adulte (pension complète)',             45000, 20000,  65000, 0),
    (40, 35, 2, 'Séjour enfant (< 12 ans)',                     25000, 15000,  40000, 0),
    (41, 35, 3, 'Forfait remontées mécaniques 6 jours',         18000,  5000,  23000, 0),
    (42, 36, 1, 'Cabine double (par personne)',                 68000, 22000,  90000, 0),
    (43, 36, 2, 'Supplément pont supérieur',                     9000,     0,   9000, 0),
    (44, 37, 1, 'Séjour adulte',                                12000,  8000,  20000, 0),
    (45, 37, 2, 'Séjour enfant',                                 6000,  6000,  12000, 0),
    (46, 38, 1, 'Emplacement exposant',                           500,     0,    500, 0),
    (47, 39, 1, 'Séjour adulte',                                52000, 20000,  72000, 0),
    (48, 40, 1, 'Place',                                          800,   700,   1500, 0),
    (49, 41, 1, 'Entrées, visite guidée, repas et transport',    3800,  2700,   6500, 0),
    (50, 42, 1, 'Visite et dégustation',                         1000,  1000,   2000, 0),
    (51, 43, 1, 'Descente de 12 km (canoë biplace)',             1500,  1500,   3000, 0),
    (52, 44, 1, 'Séjour adulte',                                38000, 17000,  55000, 0),
    (53, 44, 2, 'Séjour enfant (< 12 ans)',                     19000, 11000,  30000, 0),
    (54, 45, 1, 'Atelier',                                       2000,  1500,   3500, 0),
    (55, 47, 1, 'Randonnée et nuit en refuge',                   3500,  3000,   6500, 0),
    (56, 48, 1, 'Stage de deux jours, fournitures comprises',    6000,  4000,  10000, 0),
    (57, 49, 1, 'Séjour de 5 jours (soins compris)',            42000, 18000,  60000, 0),
    (58, 51, 1, 'Séjour adulte',                                35000, 15000,  50000, 0);

-- Who may register (schema version 2). Defaults: guests accepted without limit, no age
-- limit. Atelier gourmand takes up to 2 guests per household, as in the tutorial.
UPDATE activity SET max_guests = 2 WHERE id = 1;
UPDATE activity SET guests_allowed = 0 WHERE id IN (9, 10, 11, 21, 23, 30, 31);
UPDATE activity SET min_age = 18, guests_allowed = 0 WHERE id = 42;            -- caves de Vouvray
UPDATE activity SET min_age = 14 WHERE id IN (16, 27);                         -- karting, vélo
UPDATE activity SET min_age = 6, max_age = 12 WHERE id = 32;                   -- arbre de Noël
UPDATE activity SET min_age = 12, max_guests = 1 WHERE id IN (13, 18);

-- Options reserved to an age range (schema version 4), on the activity's start date:
-- « Place enfant (< 12 ans) » and « Enfant (< 12 ans) » up to 11, the adult ones from 12.
UPDATE activity_option SET max_age = 11 WHERE id IN (8, 16);
UPDATE activity_option SET min_age = 12 WHERE id IN (7, 15);

-- The CMCAS staff of the back-office (/gestion): one for Berry-Nivernais, one for
-- Touraine, each seeing only its own CMCAS's activities. Password demo2026 (bcrypt).
INSERT INTO cmcas_staff (login, password, cmcas_code, name) VALUES
    ('gestion.bn', '$2y$10$F99lXZZzoejhhJ0nzD62PudZvd6OsMlG7ouVOt/sobtBKyMeR6HuG', 'BN',
     'Hélène FAURE'),
    ('gestion.touraine', '$2y$10$F99lXZZzoejhhJ0nzD62PudZvd6OsMlG7ouVOt/sobtBKyMeR6HuG',
     'TOURAINE', 'Paul LEROY');

COMMIT;
