import type { VocabularyTableName } from '../db/database.js';

/** One term of a vocabulary as seeded at install. */
export interface SeedTerm {
  code: string;
  label: string;
  /** Labels of the observatory's export; the first is written back in the legacy dump. */
  legacy?: string[];
}

// The observatory's labels, with the display label corrected where the source's is not
// (spelling, capitals, typographic apostrophes); the source's label stays accepted and exported.
export const SEED_VOCABULARIES: Record<VocabularyTableName, SeedTerm[]> = {
  statuses: [
    { code: 'en-cours', label: 'En cours' },
    { code: 'terminee', label: 'Terminée' },
  ],
  dimensions: [
    { code: 'services', label: 'Services' },
    { code: 'accompagnement-projets', label: 'Accompagnement de projets' },
    { code: 'citoyennete', label: 'Citoyenneté' },
  ],
  keywords: [
    { code: 'intergenerationnel', label: 'Intergénérationnel', legacy: ['intergénérationnel'] },
    { code: 'vieillissement', label: 'Vieillissement', legacy: ['Viellissement'] },
    { code: 'integration', label: 'Intégration' },
    { code: 'culture', label: 'Culture' },
    { code: 'solidarite', label: 'Solidarité' },
    { code: 'sante', label: 'Santé' },
    { code: 'mixite-sociale', label: 'Mixité sociale' },
    { code: 'democratie-citoyennete', label: 'Démocratie & citoyenneté' },
    { code: 'emploi-economie', label: 'Emploi, économie' },
    { code: 'precarite', label: 'Précarité' },
    { code: 'education-scolarite', label: 'Éducation / scolarité', legacy: ['éducation / scolarité'] },
    { code: 'vacances-loisirs', label: 'Vacances / loisirs', legacy: ['vacances / loisirs'] },
    { code: 'parentalite', label: 'Parentalité' },
    { code: 'logement', label: 'Logement' },
    { code: 'environnement', label: 'Environnement' },
    { code: 'mobilite-transport', label: 'Mobilité / transport', legacy: ['mobilité / transport'] },
    { code: 'discriminations', label: 'Discriminations', legacy: ['discriminations'] },
    {
      code: 'alphabetisation-francais',
      label: 'Alphabétisation & apprentissage du français',
      legacy: ['alphabétisation & apprentissage du français'],
    },
    { code: 'developpement-durable', label: 'Développement durable', legacy: ['développement durable'] },
  ],
  initiatives: [
    { code: 'centre-social', label: 'Le centre social' },
    { code: 'groupe-habitants', label: 'Un groupe d’habitants', legacy: ["Un groupe d'habitants"] },
    { code: 'partenaires', label: 'Un ou plusieurs partenaires', legacy: ['Un ou plusieurs partenaire(s)'] },
    { code: 'autre', label: 'Autre' },
  ],
  territories: [
    { code: 'une-commune', label: 'Une commune' },
    { code: 'plusieurs-communes', label: 'Plusieurs communes' },
    { code: 'plusieurs-quartiers', label: 'Plusieurs quartiers' },
    { code: 'autre', label: 'Autre' },
  ],
  publics: [
    { code: 'tous-publics', label: 'Tous publics' },
    { code: 'petite-enfance', label: 'Petite enfance' },
    { code: 'enfants', label: 'Enfants' },
    { code: 'jeunes', label: 'Jeunes' },
    { code: 'familles', label: 'Familles' },
    { code: 'adultes', label: 'Adultes' },
    { code: 'seniors', label: 'Seniors' },
    { code: 'personnes-handicap', label: 'Personnes en situation de handicap' },
  ],
  partners: [
    { code: 'carsat', label: 'CARSAT' },
    { code: 'caf', label: 'Caf' },
    { code: 'bailleur-social', label: 'Bailleur social' },
    { code: 'prefecture', label: 'Préfecture' },
  ],
};
