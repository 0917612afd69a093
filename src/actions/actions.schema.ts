import { type TSchema, Type } from 'typebox';
import { CONTENT_FIELDS, jsonPlace } from './fields.js';

/** The id of a fiche in an API path. */
export const ActionIdParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: 2147483647, description: 'Identifiant de la fiche action' }),
});

/** Every API error: the HTTP status, a stable code, a French message and the parameter at fault. */
export const ApiError = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String(),
  message: Type.String(),
  field: Type.Optional(Type.String({ description: 'Le paramètre en cause.' })),
});

/** A vocabulary value: its stable code and its label. */
export const TermSchema = Type.Object({ code: Type.String(), label: Type.String() });
const OptionalTerm = Type.Union([TermSchema, Type.Null()]);
const Text = Type.Union([Type.String(), Type.Null()], { description: 'Texte libre, tel qu’écrit ; null si vide.' });

/** The department of a structure, with its région. */
export const DepartmentWithRegion = Type.Object({
  code: Type.String({ description: 'Code INSEE' }),
  name: Type.Union([Type.String(), Type.Null()]),
  region: Type.Union([Type.Object({ code: Type.String(), name: Type.String() }), Type.Null()]),
});

const Nullable = (description: string) => Type.Union([Type.String(), Type.Null()], { description });

/** The public contact details of a structure; its e-mail address is never given, only its form. */
export const ContactSchema = Type.Object(
  {
    streetAddress: Nullable('Adresse postale (numéro et voie).'),
    postalCode: Nullable('Code postal.'),
    commune: Type.Union([
      Type.Object({ code: Type.String({ description: 'Code INSEE de la commune' }), name: Type.String() }),
      Type.Null(),
    ]),
    phone: Nullable('Téléphone, au format national.'),
    website: Nullable('Site web.'),
    role: Nullable('Fonction de la personne à contacter.'),
    name: Nullable('Nom de la personne à contacter, seulement si la structure a choisi de le donner.'),
    formUrl: Nullable(
      'Page du formulaire qui relaie un message à la structure ; null si elle n’a pas donné d’adresse.',
    ),
  },
  { description: 'Coordonnées publiques de la structure. Son adresse électronique n’est jamais publiée.' },
);

const LinkedFicheSchema = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  url: Type.String(),
  structure: Type.String({ description: 'Nom de sa structure.' }),
});

/** A whole fiche, as `GET /api/v1/actions/{id}` gives it. */
const Figure = Type.Union([
  Type.Object({
    amount: Type.Number({ description: 'Montant en euros.' }),
    confidence: Type.Enum(['high', 'medium', 'low'], {
      description:
        '`high` : total indiqué comme tel ou seul montant du texte ; `medium` : lu dans une phrase ou additionné d’une liste ; `low` : le texte le dit approximatif.',
    }),
  }),
  Type.Null(),
]);

const BudgetSchema = Type.Object(
  {
    charges: Figure,
    products: Figure,
    total: Figure,
    funders: Type.Array(
      Type.Object({
        code: Type.Union([Type.String(), Type.Null()], { description: 'Code d’un financeur connu, sinon null.' }),
        label: Type.String(),
        amount: Type.Union([Type.Number(), Type.Null()]),
      }),
    ),
    volunteering: Type.Union([Type.Number(), Type.Null()], {
      description: 'Valorisation du bénévolat indiquée par le texte, en euros : ni un financeur, ni une dépense.',
    }),
  },
  {
    description:
      'Budget lu dans le texte « Ressources financières mobilisées » : `total` est le montant global (les charges, sinon les produits, sinon le seul montant donné). Rien n’est inventé : un texte sans montant donne des montants null.',
  },
);

const Month = Type.Union([Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$' }), Type.Null()], {
  description: 'Mois et année, AAAA-MM ; null si non renseigné.',
});
const Partners = Type.Array(
  Type.Object({ code: Type.String(), label: Type.String(), role: Type.Enum(['action', 'financial']) }),
);
const SCHEMA_OF_KIND = {
  title: Type.String(),
  text: Text,
  line: Text,
  month: Month,
  term: OptionalTerm,
  terms: Type.Array(TermSchema),
  partners: Partners,
} as const;

// The content's fields as `presentFiche` gives them, grouped where the registry says so.
function fieldSchemas() {
  const flat: Record<string, TSchema> = {};
  const groups: Record<string, Record<string, TSchema>> = {};
  for (const def of CONTENT_FIELDS) {
    const schema = SCHEMA_OF_KIND[def.kind as keyof typeof SCHEMA_OF_KIND];
    const { group, key } = jsonPlace(def);
    if (group === null) flat[key] = schema;
    else groups[group] = { ...groups[group], [key]: schema };
  }
  return { ...flat, ...Object.fromEntries(Object.entries(groups).map(([g, props]) => [g, Type.Object(props)])) };
}

export const FicheSchema = Type.Object({
  id: Type.Integer(),
  url: Type.String(),
  structure: Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    kind: Type.Union([Type.Enum(['centre_social', 'evs']), Type.Null()]),
    url: Type.String(),
    contact: Type.Union([ContactSchema, Type.Null()]),
    department: DepartmentWithRegion,
  }),
  attachments: Type.Array(
    Type.Object({
      id: Type.Integer(),
      fileName: Type.String(),
      mediaType: Type.Union([Type.String(), Type.Null()]),
      sizeBytes: Type.Union([Type.Integer(), Type.Null()]),
      available: Type.Boolean(),
      /** Where to download the file; null for a name listed by a legacy dump without its file. */
      url: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  ...fieldSchemas(),
  budget: BudgetSchema,
  inspiredBy: Type.Union([LinkedFicheSchema, Type.Null()], {
    description: 'La fiche publiée dont celle-ci s’est inspirée (« S’inspirer de cette fiche »), ou null.',
  }),
  inspired: Type.Array(LinkedFicheSchema, {
    description: 'Les fiches publiées d’autres centres qui se sont inspirées de celle-ci.',
  }),
  createdAt: Type.String({ format: 'date-time' }),
  publishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description:
      'Première publication dans Essaim ; null pour une fiche importée, dont la source ne donne pas la date.',
  }),
  importedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'Dernier import de la fiche depuis l’export de l’observatoire ; null si elle a été écrite ici.',
  }),
  updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'Dernière modification faite dans Essaim ; null pour une fiche restée telle que son dernier import.',
  }),
  upToDate: Type.String({
    format: 'date-time',
    description:
      '« À jour au » : sa dernière modification, ou la dernière fois que ses éditeurs l’ont dite toujours d’actualité.',
  }),
  freshness: Type.Union([Type.Literal('recent'), Type.Literal('old'), Type.Literal('stale')], {
    description:
      'Fraîcheur : `recent` (à jour depuis moins d’un an), `old` (plus d’un an, un rappel a été envoyé à ses éditeurs), `stale` (à vérifier : le rappel est resté sans réponse).',
  }),
});
