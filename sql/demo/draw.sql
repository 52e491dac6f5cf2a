-- The « tour de rôle » demo (issue 10), loaded by scripts/demo after demo.sql: the
-- « Week-end au Puy du Fou » (activity 34) closed yesterday with more requests than
-- places, so the background job draws it within a minute of the start.
--
-- 8 places; 6 households asked for 14. Nobody obtained a « tour de rôle » activity in
-- the last 24 months, so the coefficient social decides, and the seeded draw only
-- orders equal ones (there are none): CLASSEN (4 persons, the lowest coefficient) is
-- selected, then BERNARD (2) and PETIT (2); ROUX (2), DUPONT (3) and BENALI (1) wait,
-- in that order (the 8 places are all taken). Every password is demo2026.
BEGIN;

UPDATE activity SET closing_date = date('now', '-1 day'), capacity = 8, places_taken = 0
 WHERE id = 34;

INSERT INTO household (id, cmcas_code, login, password, email, phone, street, postcode, city) VALUES
    (5, 'BN', 'claire.bernard', '$2y$10$YFpb5jxSCxfR1RoN2zvSpe5ScDtdC7NxnKmFvJ.mjB7zfxMLBII.m',
        'claire.bernard@example.org', '06 56 78 90 12', '5 rue Moyenne', '18000', 'Bourges'),
    (6, 'BN', 'julien.petit',   '$2y$10$YFpb5jxSCxfR1RoN2zvSpe5ScDtdC7NxnKmFvJ.mjB7zfxMLBII.m',
        'julien.petit@example.org',   '06 67 89 01 23', '9 quai des Mariniers', '58000', 'Nevers'),
    (7, 'BN', 'nadia.roux',     '$2y$10$YFpb5jxSCxfR1RoN2zvSpe5ScDtdC7NxnKmFvJ.mjB7zfxMLBII.m',
        'nadia.roux@example.org',     '06 78 90 12 34', '12 rue de Paris', '18100', 'Vierzon');
INSERT INTO person (id, household_id, role, last_name, first_name, birth_date) VALUES
    (11, 5, 'OD', 'BERNARD', 'Claire',  '1979-08-12'),
    (12, 5, 'AD', 'BERNARD', 'Thomas',  '1977-01-25'),
    (13, 6, 'OD', 'PETIT',   'Julien',  '1986-04-03'),
    (14, 6, 'AD', 'PETIT',   'Emma',    '2014-10-19'),
    (15, 7, 'OD', 'ROUX',    'Nadia',   '1992-02-28'),
    (16, 7, 'AD', 'ROUX',    'Yanis',   '2016-06-06');

UPDATE household SET coefficient = CASE id WHEN 1 THEN 6200 WHEN 5 THEN 9000
    WHEN 6 THEN 10500 WHEN 7 THEN 12000 WHEN 2 THEN 15000 WHEN 3 THEN 18000 END
 WHERE id IN (1, 2, 3, 5, 6, 7);

-- The requests, validated during the registration period (option 37: the week-end).
INSERT INTO registration (id, activity_id, household_id, status, created_at, updated_at) VALUES
    (1001, 34, 1, 'validee', strftime('%Y-%m-%dT09:12:00Z', 'now', '-9 days'),
                             strftime('%Y-%m-%dT09:14:00Z', 'now', '-9 days')),
    (1002, 34, 5, 'validee', strftime('%Y-%m-%dT18:40:00Z', 'now', '-8 days'),
                             strftime('%Y-%m-%dT18:41:00Z', 'now', '-8 days')),
    (1003, 34, 6, 'validee', strftime('%Y-%m-%dT12:05:00Z', 'now', '-7 days'),
                             strftime('%Y-%m-%dT12:06:00Z', 'now', '-7 days')),
    (1004, 34, 7, 'validee', strftime('%Y-%m-%dT20:30:00Z', 'now', '-6 days'),
                             strftime('%Y-%m-%dT20:31:00Z', 'now', '-6 days')),
    (1005, 34, 2, 'validee', strftime('%Y-%m-%dT08:00:00Z', 'now', '-5 days'),
                             strftime('%Y-%m-%dT08:02:00Z', 'now', '-5 days')),
    (1006, 34, 3, 'validee', strftime('%Y-%m-%dT21:15:00Z', 'now', '-4 days'),
                             strftime('%Y-%m-%dT21:16:00Z', 'now', '-4 days'));
INSERT INTO registration_person (id, registration_id, person_id, confirmed) VALUES
    (10001, 1001, 1, 1), (10002, 1001, 2, 1), (10003, 1001, 3, 1), (10004, 1001, 4, 1),
    (10005, 1002, 11, 1), (10006, 1002, 12, 1),
    (10007, 1003, 13, 1), (10008, 1003, 14, 1),
    (10009, 1004, 15, 1), (10010, 1004, 16, 1),
    (10011, 1005, 5, 1), (10012, 1005, 6, 1), (10013, 1005, 7, 1),
    (10014, 1006, 8, 1);
INSERT INTO registration_option (registration_person_id, option_id)
    SELECT id, 37 FROM registration_person WHERE registration_id BETWEEN 1001 AND 1006;
INSERT INTO registration_event (registration_id, at, actor, status, event)
    SELECT r.id, r.updated_at, h.login, 'validee',
           'Inscription validée (' || (SELECT COUNT(*) FROM registration_person rp
                                       WHERE rp.registration_id = r.id) || ' personnes)'
      FROM registration r JOIN household h ON h.id = r.household_id
     WHERE r.id BETWEEN 1001 AND 1006;

COMMIT;
