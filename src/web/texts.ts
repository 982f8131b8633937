/**
 * The demo portal's words, in Swedish (the default) and English. Plain language: short sentences,
 * the citizen addressed as "du"/"you", no protocol terms on the page itself. Both languages have
 * the same keys (checked by the type).
 */
import type { Lang } from './z-web-state.ts';

export interface Texts {
  readonly siteName: string;
  readonly demoTag: string;
  readonly skipLink: string;
  readonly languageNav: string;
  readonly otherLanguage: { readonly lang: Lang; readonly label: string };
  readonly footer: string;
  readonly logout: string;
  readonly loggedInAs: (name: string) => string;
  readonly userNav: string;

  readonly start: {
    readonly title: string;
    readonly lead: string;
    readonly points: readonly string[];
    readonly loginButton: string;
    readonly noWallet: string;
    /** Shown only when the browser offers the W3C Digital Credentials API. */
    readonly dcApiButton: string;
    readonly dcApiFailed: string;
  };

  readonly flash: { readonly logged_out: string; readonly role_switched: string; readonly step_up_done: string; readonly cancelled: string; readonly test_wallet_failed: string };

  readonly request: {
    readonly loginTitle: string;
    readonly stepUpTitle: string;
    readonly who: string;
    readonly whoText: (rp: string) => string;
    readonly certificate: (org: string) => string;
    readonly why: string;
    readonly what: string;
    readonly whatIntro: string;
    readonly youChoose: string;
    readonly ifYouHave: string;
    readonly requiredCredential: string;
    readonly fromCredential: (type: string) => string;
    readonly crossDevice: string;
    readonly crossDeviceHelp: string;
    readonly qrLabel: string;
    readonly sameDevice: string;
    readonly sameDeviceHelp: string;
    readonly openWallet: string;
    readonly sameDeviceWaiting: string;
    readonly openWalletAgain: string;
    readonly showQrInstead: string;
    readonly validUntil: (time: string) => string;
    readonly statusHeading: string;
    readonly status: {
      readonly pending: string;
      readonly request_retrieved: string;
      readonly verified: string;
      readonly verifiedSameDevice: string;
      readonly refused: string;
      readonly expired: string;
      readonly error: string;
    };
    readonly continueButton: string;
    readonly continueHelp: string;
    readonly retryHeading: string;
    readonly retryButton: string;
    readonly cancelButton: string;
    readonly toPortal: string;
    readonly testWallet: {
      readonly heading: string;
      readonly help: string;
      readonly person: string;
      readonly share: string;
      readonly sharePid: string;
      readonly decline: string;
      readonly running: string;
      readonly lacks: (what: string) => string;
      readonly failed: string;
    };
  };

  readonly callback: { readonly title: string; readonly working: string; readonly noCode: string; readonly needsScript: string; readonly continueButton: string };

  readonly portal: {
    readonly title: string;
    readonly you: string;
    readonly name: string;
    readonly birthdate: string;
    readonly personalNumber: string;
    readonly identityNumber: string;
    readonly actingAs: (role: string) => string;
    readonly rolesHeading: string;
    readonly rolesHelp: string;
    readonly rolesLegend: string;
    readonly switchButton: string;
    readonly basis: (basis: string, until: string | null) => string;
    readonly formsHeading: (role: string) => string;
    readonly noForms: string;
    readonly otherFormsHeading: string;
    readonly otherFormsHelp: string;
    readonly switchToUse: (role: string) => string;
    readonly formIsFor: (kinds: string) => string;
    readonly scopeNotCovered: (role: string) => string;
    readonly refusedHeading: string;
    readonly refusedHelp: string;
    readonly logsLink: string;
    readonly logsHelp: string;
  };

  readonly form: {
    readonly back: string;
    readonly fillingAs: (role: string) => string;
    readonly rolesLegend: string;
    readonly required: string;
    readonly verifiedFrom: (type: string, issuer: string) => string;
    readonly locked: string;
    readonly notFetched: string;
    readonly notVerified: string;
    readonly noRepresented: string;
    readonly transformFailed: string;
    readonly submit: string;
    readonly demoNote: string;
    readonly moreHeading: string;
    readonly errorSummary: string;
    readonly fieldMissing: (label: string) => string;
    readonly fieldInvalid: { readonly date: (label: string) => string; readonly year: (label: string) => string; readonly choice: (label: string) => string; readonly text: (label: string) => string };
    readonly choose: string;
    readonly notAllowedTitle: string;
    readonly receiptTitle: string;
    readonly receiptLead: (service: string) => string;
    readonly receiptField: string;
    readonly receiptValue: string;
    readonly receiptSource: string;
    readonly typedByYou: string;
  };

  readonly logs: {
    readonly title: string;
    readonly lead: (days: number) => string;
    readonly sharedHeading: string;
    readonly sharedEmpty: string;
    readonly actedHeading: string;
    readonly actedHeadingCompany: (company: string) => string;
    readonly actedEmpty: string;
    readonly when: string;
    readonly withWhom: string;
    readonly why: string;
    readonly what: string;
    readonly asRole: string;
    readonly who: string;
    readonly did: string;
    readonly you: string;
    readonly someRepresentative: string;
    readonly form: string;
    readonly detailsUsed: string;
    readonly through: string;
    readonly certificateAbout: (type: string, name: string) => string;
  };

  readonly error: {
    readonly code: string;
    readonly reference: string;
    readonly toStart: string;
    readonly toPortal: string;
    readonly loginAgain: string;
    readonly technical: string;
  };

  readonly logoutPage: { readonly title: string; readonly lead: string; readonly notLoggedIn: string; readonly notLoggedInLead: string };

  readonly dateTime: (iso: string | number) => string;
  readonly date: (isoDate: string) => string;
  readonly list: (items: readonly string[]) => string;
}

const formatter = (locale: string) => {
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Stockholm' });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  const list = new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' });
  return {
    dateTime: (t: string | number) => dateTime.format(new Date(t)),
    date: (d: string) => (/^\d{4}-\d{2}-\d{2}$/.test(d) ? date.format(new Date(`${d}T00:00:00Z`)) : d),
    list: (items: readonly string[]) => list.format(items),
  };
};

const sv: Texts = {
  siteName: 'Mina sidor',
  demoTag: 'demo',
  skipLink: 'Hoppa till huvudinnehållet',
  languageNav: 'Språk',
  otherLanguage: { lang: 'en', label: 'English' },
  footer: 'En demonstration av inloggning med EU:s digitala id-plånbok. Personerna och uppgifterna är påhittade.',
  logout: 'Logga ut',
  loggedInAs: (name) => `Inloggad som ${name}`,
  userNav: 'Ditt konto',

  start: {
    title: 'Logga in på Mina sidor med din digitala id-plånbok',
    lead: 'Här kan du uträtta ärenden hos myndigheter – för dig själv, för ditt barn, för någon du har fullmakt för eller för ditt företag.',
    points: [
      'Du loggar in med id-plånboken i din mobil. Vi frågar bara efter det vi behöver och berättar varför.',
      'Du väljer vem du uträttar ärenden för. Blanketterna fylls i med kontrollerade uppgifter, så att du slipper skriva dem själv.',
      'Du kan alltid se vad du har delat, med vem och varför – och vem som har gjort något för din räkning.',
    ],
    loginButton: 'Logga in med id-plånboken',
    dcApiButton: 'Logga in med plånboken i den här webbläsaren',
    dcApiFailed: 'Det gick inte att logga in med plånboken i webbläsaren. Försök igen, eller logga in med knappen ovan.',
    noWallet: 'I den här demon finns en testplånbok på nästa sida, så att du kan prova utan mobil.',
  },

  flash: {
    logged_out: 'Du är nu utloggad. Uppgifterna från inloggningen är borttagna.',
    role_switched: 'Du har bytt roll.',
    step_up_done: 'Uppgifterna från din plånbok är tillagda.',
    cancelled: 'Frågan till plånboken är avbruten.',
    test_wallet_failed: 'Testplånboken kunde inte svara på frågan. Välj en annan testperson, eller neka.',
  },

  request: {
    loginTitle: 'Logga in med din digitala id-plånbok',
    stepUpTitle: 'Lägg till uppgifter från din plånbok',
    who: 'Vem frågar?',
    whoText: (rp) => `${rp}.`,
    certificate: (org) => `Plånboken visar att frågan kommer från ${org}.`,
    why: 'Varför?',
    what: 'Vad frågar vi efter?',
    whatIntro: 'Vi frågar efter de här uppgifterna:',
    youChoose: 'Du ser frågan i plånboken och väljer själv om du vill dela.',
    ifYouHave: 'Om du har dem',
    requiredCredential: 'Det här krävs',
    fromCredential: (type) => `Från ${type}`,
    crossDevice: 'Plånboken i din mobil',
    crossDeviceHelp: 'Öppna plånboken i mobilen och skanna QR-koden.',
    qrLabel: 'QR-kod med frågan till plånboken',
    sameDevice: 'Plånboken på den här enheten',
    sameDeviceHelp: 'Har du plånboken på den här enheten? Öppna den direkt.',
    openWallet: 'Öppna plånboken',
    sameDeviceWaiting: 'Plånboken på den här enheten har fått frågan. När du har svarat där kommer du tillbaka hit.',
    openWalletAgain: 'Öppna plånboken igen',
    showQrInstead: 'Visa QR-kod i stället',
    validUntil: (time) => `Frågan gäller till ${time}.`,
    statusHeading: 'Status',
    status: {
      pending: 'Väntar på att plånboken öppnar frågan …',
      request_retrieved: 'Plånboken har fått frågan. Godkänn delningen i plånboken.',
      verified: 'Klart! Uppgifterna är kontrollerade. Du skickas vidare …',
      verifiedSameDevice: 'Klart! Uppgifterna är kontrollerade. Fortsätt i fönstret som plånboken öppnade.',
      refused: 'Du valde att inte dela något. Inget har sparats.',
      expired: 'Frågan gick ut innan plånboken svarade. Inget har sparats.',
      error: 'Svaret från plånboken kunde inte godkännas. Inget har sparats.',
    },
    continueButton: 'Jag har svarat i plånboken – fortsätt',
    continueHelp: 'Sidan går vidare av sig själv när plånboken har svarat.',
    retryHeading: 'Vill du försöka igen?',
    retryButton: 'Försök igen',
    cancelButton: 'Avbryt',
    toPortal: 'Till Mina sidor',
    testWallet: {
      heading: 'Testplånbok (bara i utvecklingsläge)',
      help: 'Testplånboken svarar på frågan ovan som en påhittad testperson, med samma kontroller som en riktig plånbok går igenom.',
      person: 'Testperson',
      share: 'Dela uppgifterna',
      sharePid: 'Dela bara id-uppgifterna',
      decline: 'Neka',
      running: 'Testplånboken svarar …',
      lacks: (what) => `Testpersonen har inte ${what} i sin plånbok, så plånboken kan inte dela det som frågan kräver. Välj en annan testperson, eller neka.`,
      failed: 'Testplånboken kunde inte svara på frågan. Välj en annan testperson, eller neka.',
    },
  },

  callback: {
    title: 'Tillbaka från plånboken',
    working: 'Vi hämtar svaret från plånboken …',
    noCode: 'Plånboken skickade ingen kod tillbaka. Börja om från inloggningen.',
    needsScript: 'Den här sidan behöver JavaScript för att läsa svaret från plånboken.',
    continueButton: 'Fortsätt',
  },

  portal: {
    title: 'Mina sidor',
    you: 'Du',
    name: 'Namn',
    birthdate: 'Födelsedatum',
    personalNumber: 'Personnummer',
    identityNumber: 'Identitetsnummer',
    actingAs: (role) => `Du uträttar nu ärenden ${role}.`,
    rolesHeading: 'Vem uträttar du ärenden för?',
    rolesHelp: 'Rollerna kommer från behörigheterna i din plånbok. Det du ser nedan gäller den roll du väljer.',
    rolesLegend: 'Välj roll',
    switchButton: 'Byt roll',
    basis: (basis, until) => (until === null ? basis : `${basis}, gäller till och med ${until}`),
    formsHeading: (role) => `Tjänster ${role}`,
    noForms: 'Det finns inga tjänster för den här rollen.',
    otherFormsHeading: 'Andra tjänster',
    otherFormsHelp: 'De här tjänsterna kräver en annan roll.',
    switchToUse: (role) => `Byt till rollen ”${role}” för att använda tjänsten.`,
    formIsFor: (kinds) => `Tjänsten är till för ${kinds}.`,
    scopeNotCovered: (role) => `Din behörighet ${role} omfattar inte den här tjänsten.`,
    refusedHeading: 'Behörigheter som inte kunde användas',
    refusedHelp: 'Din plånbok visade de här behörigheterna, men de gav ingen roll:',
    logsLink: 'Se vad du har delat och vem som har gjort något för din räkning',
    logsHelp: 'Delningslogg och logg över ombud',
  },

  form: {
    back: 'Tillbaka till Mina sidor',
    fillingAs: (role) => `Du fyller i blanketten ${role}.`,
    rolesLegend: 'Fyll i blanketten för',
    required: 'obligatorisk',
    verifiedFrom: (type, issuer) => `Verifierad uppgift – källa: ${type}, utfärdare: ${issuer}.`,
    locked: 'Kan inte ändras här.',
    notFetched: 'Hämtades inte från din plånbok.',
    notVerified: 'Finns inte i de uppgifter du har delat.',
    noRepresented: 'Välj först vem du företräder.',
    transformFailed: 'Uppgiften från plånboken har inte den form blanketten behöver. Fyll i den själv hos myndigheten.',
    submit: 'Skicka (demo)',
    demoNote: 'Det här är en demo. Inget skickas till någon myndighet.',
    moreHeading: 'Fyll i mer från din plånbok',
    errorSummary: 'Något behöver rättas',
    fieldMissing: (label) => `Fyll i ${label.toLowerCase()}.`,
    fieldInvalid: {
      date: (label) => `Skriv ${label.toLowerCase()} som ett datum, till exempel 2026-05-31.`,
      year: (label) => `Skriv ${label.toLowerCase()} som ett år med fyra siffror, till exempel 2025.`,
      choice: (label) => `Välj ${label.toLowerCase()} bland alternativen.`,
      text: (label) => `Kontrollera ${label.toLowerCase()}.`,
    },
    choose: 'Välj …',
    notAllowedTitle: 'Tjänsten är inte tillgänglig i den här rollen',
    receiptTitle: 'Klart – så här skulle ärendet ha skickats',
    receiptLead: (service) => `I en riktig tjänst hade uppgifterna skickats till ${service}. Det här är en demo, så inget har skickats.`,
    receiptField: 'Uppgift',
    receiptValue: 'Värde',
    receiptSource: 'Källa',
    typedByYou: 'Ifylld av dig',
  },

  logs: {
    title: 'Delat och gjort för din räkning',
    lead: (days) => `Här ser du vad du har delat från din plånbok och vad andra har gjort för din räkning. Uppgifterna sparas i ${days} dagar. Loggen innehåller vilka sorters uppgifter som delades, aldrig själva uppgifterna.`,
    sharedHeading: 'Det här har du delat',
    sharedEmpty: 'Du har inte delat något ännu.',
    actedHeading: 'Det här har andra gjort för din räkning',
    actedHeadingCompany: (company) => `Det här har företrädare gjort för ${company}`,
    actedEmpty: 'Ingen har gjort något för din räkning.',
    when: 'När',
    withWhom: 'Med vem',
    why: 'Varför',
    what: 'Vad',
    asRole: 'Roll',
    who: 'Vem',
    did: 'Vad gjordes',
    you: 'Du',
    someRepresentative: 'En företrädare',
    form: 'Blankett',
    detailsUsed: 'Uppgifter som fylldes i',
    through: 'Genom',
    certificateAbout: (type, name) => `${type} för ${name}`,
  },

  error: {
    code: 'Felkod',
    reference: 'Referens',
    toStart: 'Till startsidan',
    toPortal: 'Tillbaka till Mina sidor',
    loginAgain: 'Logga in igen',
    technical: 'Teknisk information (för support)',
  },

  logoutPage: {
    title: 'Logga ut',
    lead: 'Vill du logga ut från Mina sidor? Uppgifterna från inloggningen tas bort.',
    notLoggedIn: 'Du är inte inloggad',
    notLoggedInLead: 'Du är redan utloggad. Du kan logga in igen från startsidan.',
  },

  ...formatter('sv-SE'),
};

const en: Texts = {
  siteName: 'My pages',
  demoTag: 'demo',
  skipLink: 'Skip to main content',
  languageNav: 'Language',
  otherLanguage: { lang: 'sv', label: 'Svenska' },
  footer: 'A demonstration of logging in with the EU Digital Identity Wallet. The people and details are made up.',
  logout: 'Log out',
  loggedInAs: (name) => `Logged in as ${name}`,
  userNav: 'Your account',

  start: {
    title: 'Log in to My pages with your digital identity wallet',
    lead: 'Here you can run errands with public agencies – for yourself, for your child, for someone you hold a power of attorney for, or for your company.',
    points: [
      'You log in with the identity wallet on your phone. We ask only for what we need, and we tell you why.',
      'You choose whom you act for. Forms are filled in with checked details, so you do not have to type them.',
      'You can always see what you shared, with whom and why – and who has done something on your behalf.',
    ],
    loginButton: 'Log in with the identity wallet',
    dcApiButton: 'Log in with the wallet in this browser',
    dcApiFailed: 'Logging in with the wallet in the browser did not work. Please try again, or log in with the button above.',
    noWallet: 'In this demo there is a test wallet on the next page, so you can try it without a phone.',
  },

  flash: {
    logged_out: 'You are now logged out. The details from your login have been deleted.',
    role_switched: 'You have switched role.',
    step_up_done: 'The details from your wallet have been added.',
    cancelled: 'The request to your wallet has been cancelled.',
    test_wallet_failed: 'The test wallet could not answer the request. Choose another test person, or decline.',
  },

  request: {
    loginTitle: 'Log in with your digital identity wallet',
    stepUpTitle: 'Add details from your wallet',
    who: 'Who is asking?',
    whoText: (rp) => `${rp}.`,
    certificate: (org) => `Your wallet shows that the request comes from ${org}.`,
    why: 'Why?',
    what: 'What do we ask for?',
    whatIntro: 'We ask for these details:',
    youChoose: 'You see the request in your wallet and choose yourself whether to share.',
    ifYouHave: 'If you have them',
    requiredCredential: 'Required',
    fromCredential: (type) => `From your ${type}`,
    crossDevice: 'The wallet on your phone',
    crossDeviceHelp: 'Open the wallet on your phone and scan the QR code.',
    qrLabel: 'QR code with the request for your wallet',
    sameDevice: 'The wallet on this device',
    sameDeviceHelp: 'Is your wallet on this device? Open it directly.',
    openWallet: 'Open wallet',
    sameDeviceWaiting: 'The wallet on this device has the request. When you have answered there, you come back here.',
    openWalletAgain: 'Open the wallet again',
    showQrInstead: 'Show a QR code instead',
    validUntil: (time) => `The request is valid until ${time}.`,
    statusHeading: 'Status',
    status: {
      pending: 'Waiting for your wallet to open the request …',
      request_retrieved: 'Your wallet has the request. Approve sharing in your wallet.',
      verified: 'Done! The details have been checked. Taking you onwards …',
      verifiedSameDevice: 'Done! The details have been checked. Continue in the window your wallet opened.',
      refused: 'You chose not to share anything. Nothing has been saved.',
      expired: 'The request expired before your wallet answered. Nothing has been saved.',
      error: 'The answer from your wallet could not be accepted. Nothing has been saved.',
    },
    continueButton: 'I have answered in my wallet – continue',
    continueHelp: 'The page moves on by itself once your wallet has answered.',
    retryHeading: 'Do you want to try again?',
    retryButton: 'Try again',
    cancelButton: 'Cancel',
    toPortal: 'To My pages',
    testWallet: {
      heading: 'Test wallet (development mode only)',
      help: 'The test wallet answers the request above as a made-up test person, going through the same checks as a real wallet.',
      person: 'Test person',
      share: 'Share the details',
      sharePid: 'Share only the identity data',
      decline: 'Decline',
      running: 'The test wallet is answering …',
      lacks: (what) => `The test person has no ${what} in their wallet, so the wallet cannot share what the request requires. Choose another test person, or decline.`,
      failed: 'The test wallet could not answer the request. Choose another test person, or decline.',
    },
  },

  callback: {
    title: 'Back from your wallet',
    working: 'Fetching the answer from your wallet …',
    noCode: 'Your wallet sent no code back. Start again from the login.',
    needsScript: 'This page needs JavaScript to read the answer from your wallet.',
    continueButton: 'Continue',
  },

  portal: {
    title: 'My pages',
    you: 'You',
    name: 'Name',
    birthdate: 'Date of birth',
    personalNumber: 'Personal identity number',
    identityNumber: 'Identity number',
    actingAs: (role) => `You are now acting ${role}.`,
    rolesHeading: 'Whom are you acting for?',
    rolesHelp: 'The roles come from the authorisations in your wallet. What you see below is for the role you choose.',
    rolesLegend: 'Choose a role',
    switchButton: 'Switch role',
    basis: (basis, until) => (until === null ? basis : `${basis}, valid until ${until}`),
    formsHeading: (role) => `Services ${role}`,
    noForms: 'There are no services for this role.',
    otherFormsHeading: 'Other services',
    otherFormsHelp: 'These services need another role.',
    switchToUse: (role) => `Switch to the role “${role}” to use this service.`,
    formIsFor: (kinds) => `The service is for ${kinds}.`,
    scopeNotCovered: (role) => `Your authority ${role} does not cover this service.`,
    refusedHeading: 'Authorisations that could not be used',
    refusedHelp: 'Your wallet showed these authorisations, but they gave no role:',
    logsLink: 'See what you have shared and who has done something on your behalf',
    logsHelp: 'Sharing log and log of representatives',
  },

  form: {
    back: 'Back to My pages',
    fillingAs: (role) => `You are filling in the form ${role}.`,
    rolesLegend: 'Fill in the form for',
    required: 'required',
    verifiedFrom: (type, issuer) => `Verified detail – source: your ${type}, issuer: ${issuer}.`,
    locked: 'Cannot be changed here.',
    notFetched: 'Not fetched from your wallet.',
    notVerified: 'Not among the details you have shared.',
    noRepresented: 'First choose whom you represent.',
    transformFailed: 'The detail from your wallet is not in the form this form needs. Give it to the agency yourself.',
    submit: 'Send (demo)',
    demoNote: 'This is a demo. Nothing is sent to any agency.',
    moreHeading: 'Fill in more from your wallet',
    errorSummary: 'Something needs correcting',
    fieldMissing: (label) => `Fill in ${label.charAt(0).toLowerCase()}${label.slice(1)}.`,
    fieldInvalid: {
      date: (label) => `Write ${label.charAt(0).toLowerCase()}${label.slice(1)} as a date, for example 2026-05-31.`,
      year: (label) => `Write ${label.charAt(0).toLowerCase()}${label.slice(1)} as a year in four digits, for example 2025.`,
      choice: (label) => `Choose ${label.charAt(0).toLowerCase()}${label.slice(1)} from the options.`,
      text: (label) => `Check ${label.charAt(0).toLowerCase()}${label.slice(1)}.`,
    },
    choose: 'Choose …',
    notAllowedTitle: 'The service is not available in this role',
    receiptTitle: 'Done – this is what would have been sent',
    receiptLead: (service) => `In a real service the details would have gone to ${service}. This is a demo, so nothing has been sent.`,
    receiptField: 'Detail',
    receiptValue: 'Value',
    receiptSource: 'Source',
    typedByYou: 'Filled in by you',
  },

  logs: {
    title: 'Shared, and done on your behalf',
    lead: (days) => `Here you see what you have shared from your wallet and what others have done on your behalf. Entries are kept for ${days} days. The log holds which kinds of details were shared, never the details themselves.`,
    sharedHeading: 'What you have shared',
    sharedEmpty: 'You have not shared anything yet.',
    actedHeading: 'What others have done on your behalf',
    actedHeadingCompany: (company) => `What representatives have done for ${company}`,
    actedEmpty: 'Nobody has done anything on your behalf.',
    when: 'When',
    withWhom: 'With whom',
    why: 'Why',
    what: 'What',
    asRole: 'Role',
    who: 'Who',
    did: 'What was done',
    you: 'You',
    someRepresentative: 'A representative',
    form: 'Form',
    detailsUsed: 'Details filled in',
    through: 'Through',
    certificateAbout: (type, name) => `${type} for ${name}`,
  },

  error: {
    code: 'Error code',
    reference: 'Reference',
    toStart: 'To the start page',
    toPortal: 'Back to My pages',
    loginAgain: 'Log in again',
    technical: 'Technical details (for support)',
  },

  logoutPage: {
    title: 'Log out',
    lead: 'Do you want to log out of My pages? The details from your login will be deleted.',
    notLoggedIn: 'You are not logged in',
    notLoggedInLead: 'You are already logged out. You can log in again from the start page.',
  },

  ...formatter('en-GB'),
};

export const texts: Readonly<Record<Lang, Texts>> = { sv, en };
