import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { inviteUser } from '../src/accounts/roles.service.js';
import { createMailer } from '../src/mail/mailer.js';
import { MESSAGES_PER_HOUR } from '../src/site/centre-message.service.js';
import { Agent, acceptInvitation } from './helpers/agent.js';
import { openSeededApp, testEngines } from './helpers/databases.js';
import { startSmtp, type TestSmtp } from './helpers/smtp.js';

const CENTRE_EMAIL = 'accueil.prive@centre-montauban.test';

for (const engine of testEngines()) {
  describe(`a centre’s contact details and the messages relayed to it (${engine})`, () => {
    let seeded: Awaited<ReturnType<typeof openSeededApp>>;
    let smtp: TestSmtp;
    let editor: Agent;
    let otherEditor: Agent;
    let centre: { id: number; name: string };
    let ficheId: number;
    let structurePage: string;

    before(async () => {
      smtp = await startSmtp();
      // Each reader comes from an address of its own, as behind the proxy.
      seeded = await openSeededApp(engine, { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, TRUST_PROXY: 'true' });
      const { handle, app, config } = seeded;
      // « Accompagnement individuel et collectif au numérique », Montauban (Tarn-et-Garonne).
      const fiche = await handle.db
        .selectFrom('actions as a')
        .innerJoin('structures as s', 's.id', 'a.structure_id')
        .select(['a.id', 's.id as structureId', 's.name'])
        .where('s.departement_code', '=', '82')
        .orderBy('a.id')
        .executeTakeFirstOrThrow();
      ficheId = fiche.id;
      centre = { id: fiche.structureId, name: fiche.name };
      const other = await handle.db
        .selectFrom('structures')
        .select('id')
        .where('id', '!=', centre.id)
        .executeTakeFirstOrThrow();
      // Invitations go to the outbox, where acceptInvitation reads them.
      const mailer = createMailer({ ...config, smtpUrl: undefined }, { info: () => {} });
      const invite = (email: string, structureIds: number[]) =>
        inviteUser(handle.db, mailer, config.publicUrl, null, { email, structureIds });
      await invite('redaction@centre-montauban.test', [centre.id]);
      await invite('redaction@ailleurs.test', [other.id]);
      editor = await acceptInvitation(app, config.dataDir, 'redaction@centre-montauban.test', 'Rédactrice');
      otherEditor = await acceptInvitation(app, config.dataDir, 'redaction@ailleurs.test', 'Autre');
      structurePage = (await new Agent(app).get(`/api/v1/structures/${centre.id}`)).json().url;
    });
    after(async () => {
      await seeded?.close();
      await smtp?.close().catch(() => {});
    });

    const form = {
      streetAddress: ' 12  rue des Lilas ',
      postalCode: '82000',
      commune: 'montauban',
      phone: '0563 12 34 56',
      website: 'www.centre-montauban.test',
      contactEmail: CENTRE_EMAIL,
      contactRole: 'Accueil',
      contactName: '',
    };

    test('the structure’s editor fills its contact details; bad input is named field by field', async () => {
      const url = `/espace/structures/${centre.id}/coordonnees`;
      assert.equal((await otherEditor.get(url)).statusCode, 403);
      assert.equal((await editor.get(url)).statusCode, 200);
      const refused = await editor.post(url, {
        ...form,
        postalCode: '31000',
        commune: 'Toulouse',
        phone: '12 34',
        website: 'pas un site',
        contactEmail: 'accueil@',
      });
      assert.equal(refused.statusCode, 400);
      assert.match(
        plain(refused.body),
        /Toulouse est dans le département Haute-Garonne ; la structure est rattachée au département Tarn-et-Garonne\./,
      );
      assert.match(plain(refused.body), /Ce numéro de téléphone n’est pas valide/);
      assert.match(plain(refused.body), /Cette adresse de site web n’est pas valide/);
      assert.match(plain(refused.body), /« accueil@ » n’est pas une adresse e-mail valide\./);
      const wrongName = await editor.post(url, { ...form, commune: 'Moissac' });
      assert.match(
        plain(wrongName.body),
        /Aucune commune « Moissac » n’a le code postal 82000\. Ce code postal dessert : « Montauban »\./,
      );
      const stored = async () =>
        seeded.handle.db
          .selectFrom('structures')
          .select(['commune_code', 'commune_name', 'phone', 'website', 'contact_email', 'street_address'])
          .where('id', '=', centre.id)
          .executeTakeFirstOrThrow();
      assert.equal((await stored()).commune_code, null, 'a refused form stores nothing');
      const saved = await editor.post(url, form);
      assert.equal(saved.statusCode, 303);
      assert.deepEqual(await stored(), {
        commune_code: '82121',
        commune_name: 'Montauban',
        phone: '05 63 12 34 56',
        website: 'https://www.centre-montauban.test/',
        contact_email: CENTRE_EMAIL,
        street_address: '12 rue des Lilas',
      });
    });

    test('the public parts show on the structure and its fiches, in the API and the exports; the address never', async () => {
      const reader = new Agent(seeded.app);
      const page = await reader.get(structurePage);
      assert.match(plain(page.body), /<span>12 rue des Lilas<\/span><br\/><span>82000 Montauban<\/span>/);
      assert.match(plain(page.body), /<a href="tel:\+33563123456">05 63 12 34 56<\/a>/);
      assert.ok(page.body.includes(`href="${structurePage}/contact">Contacter le centre</a>`));
      const json = (await reader.get(`/api/v1/actions/${ficheId}`)).json();
      const fiche = await reader.get(json.url);
      assert.equal(fiche.statusCode, 200);
      assert.ok(fiche.body.includes(`href="${structurePage}/contact?fiche=${ficheId}">Contacter le centre</a>`));
      assert.deepEqual(json.structure.contact, {
        streetAddress: '12 rue des Lilas',
        postalCode: '82000',
        commune: { code: '82121', name: 'Montauban' },
        phone: '05 63 12 34 56',
        website: 'https://www.centre-montauban.test/',
        role: 'Accueil',
        name: null,
        formUrl: `${structurePage}/contact`,
      });
      const csv: string[][] = parse((await reader.get('/actions/export?format=csv&department=82')).rawPayload, {
        bom: true,
        delimiter: ';',
      });
      const row = csv.find((r) => r[0] === String(ficheId)) as string[];
      const cell = (header: string) => row[csv[0].indexOf(header)];
      assert.equal(cell('Commune'), 'Montauban');
      assert.equal(cell('Code commune (INSEE)'), '82121');
      assert.equal(cell('Téléphone'), '05 63 12 34 56');
      for (const url of [
        structurePage,
        json.url,
        `${structurePage}/contact?fiche=${ficheId}`,
        `/api/v1/actions/${ficheId}`,
        `/api/v1/structures/${centre.id}`,
        '/api/v1/structures?department=82',
        '/actions/export?format=csv&department=82',
        '/api/v1/actions/export?format=json&department=82',
        '/api/v1/actions/export?format=dump&department=82',
        `${json.url}.pdf`,
      ]) {
        const response = await reader.get(url);
        assert.equal(response.statusCode, 200, url);
        assert.ok(!response.rawPayload.toString('latin1').includes(CENTRE_EMAIL), `${url} montre l’adresse du centre`);
      }
    });

    test('a reader writes to the centre without an account: the centre gets it, the reader a copy', async () => {
      const reader = new Agent(seeded.app, { 'x-forwarded-for': '198.51.100.7' });
      const contact = `${structurePage}/contact`;
      await reader.get(`${contact}?fiche=${ficheId}`);
      const forged = await reader.post(
        contact,
        { name: 'X', email: 'x@y.test', message: 'm'.repeat(30) },
        { csrf: false },
      );
      assert.equal(forged.statusCode, 403);
      const empty = await reader.post(contact, { name: '', email: '', message: 'Bonjour', fiche: String(ficheId) });
      assert.equal(empty.statusCode, 400);
      assert.match(plain(empty.body), /Indiquez votre nom/);
      assert.match(plain(empty.body), /Indiquez votre adresse e-mail/);
      assert.match(plain(empty.body), /Votre message doit compter au moins 20 caractères \(il en compte 7\)\./);
      assert.match(plain(empty.body), /À propos de la fiche/, 'the fiche stays named');
      smtp.inbox.length = 0;
      const message = 'Bonjour, nous aimerions reprendre votre atelier numérique : pouvez-vous nous appeler ?';
      const sent = await reader.post(contact, {
        name: 'Léa Martin',
        email: 'Lea.Martin@csx-albi.test',
        message,
        fiche: String(ficheId),
      });
      assert.equal(sent.statusCode, 303);
      assert.equal(sent.headers.location, `${contact}?fiche=${ficheId}&info=envoye`);
      assert.match(
        plain((await reader.get(sent.headers.location as string)).body),
        /Votre message a été envoyé au centre/,
      );
      await waitFor(() => smtp.inbox.length >= 2);
      const toCentre = smtp.inbox.find((m) => m.to === CENTRE_EMAIL);
      const copy = smtp.inbox.find((m) => m.to === 'lea.martin@csx-albi.test');
      assert.ok(toCentre && copy, JSON.stringify(smtp.inbox.map((m) => m.to)));
      assert.equal(toCentre.replyTo, 'lea.martin@csx-albi.test');
      assert.match(plain(toCentre.subject), /^Message de Léa Martin via Essaim au sujet de la fiche « Accompagnement/);
      assert.ok(toCentre.text.includes(message), 'the message as written');
      assert.ok(toCentre.text.includes(`${seeded.config.publicUrl}/actions/${ficheId}-`));
      assert.ok(copy.text.includes(message));
      assert.ok(!copy.text.includes(CENTRE_EMAIL), 'the copy does not give the centre’s address');
    });

    test(`more than ${MESSAGES_PER_HOUR} messages an hour from one address are refused, in French`, async () => {
      const reader = new Agent(seeded.app, { 'x-forwarded-for': '203.0.113.9' });
      const contact = `${structurePage}/contact`;
      await reader.get(contact);
      const send = (n: number) =>
        reader.post(contact, {
          name: 'Robot',
          email: 'robot@spam.test',
          message: `Message numéro ${n} pour le centre.`,
        });
      for (let n = 0; n < MESSAGES_PER_HOUR; n++) assert.equal((await send(n)).statusCode, 303);
      const before = smtp.inbox.length;
      const refused = await send(MESSAGES_PER_HOUR);
      assert.equal(refused.statusCode, 429);
      assert.match(
        plain(refused.body),
        /Trop de messages envoyés en une heure depuis cette adresse e-mail ou cette connexion/,
      );
      assert.equal(smtp.inbox.length, before, 'nothing sent');
    });

    test('when the mail server is down, the reader is told that nothing left, in French', async () => {
      const reader = new Agent(seeded.app, { 'x-forwarded-for': '192.0.2.44' });
      const contact = `${structurePage}/contact`;
      await reader.get(contact);
      await smtp.close();
      const failed = await reader.post(contact, {
        name: 'Léa',
        email: 'lea@exemple.test',
        message: 'Un message qui ne partira pas ce soir.',
      });
      assert.equal(failed.statusCode, 503);
      assert.match(
        plain(failed.body),
        /Votre message n’a pas pu être envoyé : le serveur de messagerie ne répond pas\. Rien n’est parti/,
      );
    });

    test('a structure without an address to write to says how else to reach it', async () => {
      const other = await seeded.handle.db
        .selectFrom('structures')
        .select(['id'])
        .where('contact_email', 'is', null)
        .executeTakeFirstOrThrow();
      const reader = new Agent(seeded.app);
      const url = `${(await reader.get(`/api/v1/structures/${other.id}`)).json().url}/contact`;
      const page = await reader.get(url);
      assert.match(plain(page.body), /Ce centre n’a pas donné d’adresse où lui écrire/);
      assert.ok(!page.body.includes('Envoyer le message'));
      await reader.get(`${structurePage}/contact`); // a form's token, as a forged post would carry
      const refused = await reader.post(url, { name: 'Léa', email: 'lea@x.test', message: 'x'.repeat(40) });
      assert.equal(refused.statusCode, 404);
    });
  });
}

// The pages put non-breaking spaces where French wants them; the assertions read plain spaces.
const plain = (html: string) => html.replaceAll('\u00a0', ' ');

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('the SMTP server received nothing');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
