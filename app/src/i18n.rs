//! The one translation mechanism: every user-facing string is a [`Msg`] and [`t`] matches it
//! exhaustively for every [`Lang`], so a string missing in one language is a compile error.
//! (A plain exhaustive match instead of a build-time catalogue crate keeps the check in the
//! compiler and adds nothing to the WASM bundle but the strings themselves.)

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Es,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Es, Lang::En];
    pub const COOKIE: &'static str = "lang";

    pub fn code(self) -> &'static str {
        match self {
            Lang::Es => "es",
            Lang::En => "en",
        }
    }

    /// Parses a language code (`es`, `en`, `es-PE`, `EN`); anything else is `None`.
    pub fn parse(code: &str) -> Option<Lang> {
        let primary = code.split(['-', '_']).next()?.trim();
        if primary.eq_ignore_ascii_case("es") {
            Some(Lang::Es)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The name of the language in that language, as a language switch shows it.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::Es => "Español",
            Lang::En => "English",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Es => Lang::En,
            Lang::En => Lang::Es,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    ServiceName,
    ServiceTagline,
    SkipToContent,
    LanguageSwitchLabel,
    HomeTitle,
    HomeIntro1,
    HomeIntro2,
    JourneysHeading,
    JourneyCheck,
    JourneyCheckHint,
    JourneyBands,
    JourneyBandsHint,
    JourneySignIn,
    JourneySignInHint,
    ComingSoon,
    EstimateHeading,
    EstimateIntro,
    EstimatePrice,
    EstimatePriceHint,
    EstimateFreight,
    EstimateInsurance,
    EstimateAmountHint,
    EstimateSubmit,
    EstimateResult,
    EstimateLiveNote,
    ErrorSummaryTitle,
    ErrorAmountInvalid,
    ErrorAmountNegative,
    ErrorAmountTooLarge,
    ErrorAmountTooPrecise,
    NotFoundTitle,
    NotFoundBody,
    NotFoundHome,
    ErrorTitle,
    ErrorBody,
    ErrorReference,
    FooterDisclaimer,
    FooterAuthority,
    FeedbackQuestion,
    FeedbackYes,
    FeedbackNo,
    FeedbackThanks,
    FeedbackFailed,
    ServerFailure,
    RequestRefused,
    NavSignIn,
    NavRegister,
    NavAccount,
    NavSignOut,
    RegisterTitle,
    RegisterIntro,
    OrgKindLegend,
    OrgKindImporter,
    OrgKindBroker,
    OrgName,
    TaxIdLabel,
    TaxIdHint,
    FullName,
    Email,
    EmailHint,
    Password,
    PasswordHint,
    RegisterSubmit,
    RegisterDoneTitle,
    RegisterDoneBody,
    ErrorRequired,
    ErrorOrgKind,
    ErrorTaxIdFormat,
    ErrorTaxIdCheck,
    ErrorTaxIdTaken,
    ErrorEmailFormat,
    ErrorEmailTaken,
    ErrorPasswordShort,
    ErrorPasswordLong,
    ErrorPasswordCommon,
    ErrorPasswordWeak,
    ErrorTooLong,
    VerifyTitle,
    VerifyBody,
    VerifySubmit,
    VerifyInvalid,
    VerifiedNotice,
    SignInTitle,
    SignInSubmit,
    SignInFailed,
    SignInThrottled,
    SignInUnverified,
    SignInNoAccount,
    AccountTitle,
    AccountOrganisation,
    AccountRole,
    RoleOrgAdmin,
    RoleTrader,
    RoleCompliance,
    RoleCustomsOfficer,
    RoleValuationAdmin,
    SignedOutNotice,
    MailVerifySubject,
    MailVerifyIntro,
    MailIgnore,
    ForgotLink,
    ForgotTitle,
    ForgotIntro,
    ForgotSubmit,
    ForgotSentTitle,
    ForgotSentBody,
    ResetTitle,
    NewPassword,
    ResetSubmit,
    ResetInvalid,
    ResetDoneNotice,
    MailResetSubject,
    MailResetIntro,
    MailResetIgnore,
    ChangePasswordTitle,
    CurrentPassword,
    ChangePasswordSubmit,
    ChangePasswordDone,
    ErrorCurrentPassword,
    SessionsTitle,
    SessionsStarted,
    SessionsLastSeen,
    SessionsDevice,
    SessionsThis,
    SessionsEnd,
    SessionsEndLabel,
    MandatesTitle,
    MandatesIntro,
    MandatesNone,
    MandateBroker,
    MandateGranted,
    MandateRevoke,
    MandateGrantHeading,
    MandateBrokerRuc,
    MandateGrantSubmit,
    ErrorBrokerUnknown,
    ErrorMandateExists,
    ErrorNotAllowed,
    ActForTitle,
    ActForIntro,
    ActForNone,
    ActForChoose,
    ActingFor,
    AccountLinks,
    ErrorSignInNeeded,
    MembersTitle,
    MembersInviteHeading,
    MembersInviteHint,
    MemberRoleLegend,
    MembersInviteSubmit,
    MembersPending,
    MembersInvitedNotice,
    ErrorRoleNotAllowed,
    MailInviteSubject,
    MailInviteIntro,
    MailInviteIgnore,
    BandsTitle,
    BandsIntro,
    RiskStatementLead,
    RiskStatement,
    BandsSearchLabel,
    BandsSearchHint,
    BandsSearchButton,
    BandsResults,
    BandsNoResults,
    BandsUnreadable,
    BandsBackToSearch,
    BandsBackToLine,
    BandsInForceOn,
    LineNoBands,
    ColCode,
    ColDescription,
    ColBandsInForce,
    ColOrigin,
    ColUnit,
    ColObservations,
    ColUsualRange,
    FromOrigin,
    UnitPer,
    ChartTitle,
    FiguresHeading,
    FigP10,
    FigP25,
    FigMedian,
    FigP75,
    FigP90,
    FigObservations,
    FigTrimmed,
    FigPeriod,
    FigAsOf,
    FigEffective,
    FigVersion,
    NoBandOnDate,
    AsOfLabel,
    AsOfButton,
    DownloadCsv,
    DownloadJson,
    HistoryHeading,
    UnitKgm,
    UnitNiu,
    UnitPr,
    UnitLtr,
    UnitMtk,
    UnitMtr,
    RefTitle,
    RefIntro,
    RefKindLabel,
    RefKindHs,
    RefKindTexts,
    RefKindCountries,
    RefKindCurrencies,
    RefKindUnits,
    RefKindRates,
    RefKindRecords,
    RefColumns,
    RefFileLabel,
    RefSkipLabel,
    RefImportButton,
    RefResultImported,
    RefResultRefused,
    RefRefusedHint,
    RefRowsLoaded,
    RefErrorCount,
    RefLine,
    RefProblem,
    RefFile,
    RefErrorsShown,
    AdminBandsTitle,
    AdminBandsIntro,
    ComputeHeading,
    PeriodFromLabel,
    PeriodToLabel,
    DateHint,
    CodeLevelLabel,
    ComputeButton,
    RunsHeading,
    ColRun,
    ColStatus,
    ColBands,
    ColRecords,
    ColKeysTooFew,
    ColComputeTime,
    StatusDraft,
    StatusPublished,
    StatusDiscarded,
    ReviewTitle,
    ReviewIntro,
    ColCurrent,
    ColDraft,
    ColChange,
    BandNew,
    BandWithdrawn,
    FilterCodeLabel,
    FilterButton,
    NextPage,
    PublishHeading,
    EffectiveLabel,
    PublishButton,
    DiscardButton,
    ErrorDateFormat,
    ErrorPeriodOrder,
    ErrorCodeLevel,
    ErrorEffectivePast,
    ErrorEffectiveNotAfter,
    ErrorNotDraft,
    AdminLinks,
    CheckTitle,
    CheckIntro,
    CheckGoodsHeading,
    CheckTariffLabel,
    CheckTariffHint,
    CheckOriginLabel,
    CheckIncotermLabel,
    CheckDateLabel,
    CheckQuantityLabel,
    CheckUnitLabel,
    CheckPriceHeading,
    CheckCurrencyLabel,
    CheckPriceLabel,
    CheckPreCarriageLabel,
    CheckFreightLabel,
    CheckInsuranceLabel,
    CheckAdditionsHeading,
    CheckCommissionsLabel,
    CheckPackingLabel,
    CheckAssistsLabel,
    CheckRoyaltiesLabel,
    CheckProceedsLabel,
    CheckDeductionsLabel,
    CheckDeductionsHint,
    CheckAmountHint,
    CheckRelatedLegend,
    AnswerYes,
    AnswerNo,
    CheckReasonsLegend,
    ReasonDiscount,
    ReasonQuantity,
    ReasonQuality,
    ReasonLevel,
    ReasonClearance,
    CheckSubmit,
    CheckLiveLabel,
    ResultHeading,
    VerdictWellBelow,
    VerdictBelow,
    VerdictUsual,
    VerdictAbove,
    VerdictWellAbove,
    VerdictNoBand,
    ResultCustomsValue,
    ResultUnitValue,
    ResultPercentile,
    ResultBandUsed,
    CalcHeading,
    CalcData,
    CalcOperation,
    CalcValue,
    ItemPrice,
    ItemPreCarriage,
    ItemFreight,
    ItemInsurance,
    ItemCommissions,
    ItemPacking,
    ItemAssists,
    ItemRoyalties,
    ItemProceeds,
    ItemPostImport,
    CalcAdd,
    CalcSubtract,
    CalcTotal,
    CalcRate,
    CalcRateOf,
    CalcConverted,
    CalcQuantity,
    CalcUnitValue,
    EvidenceHeading,
    EvInvoice,
    EvContract,
    EvPayment,
    EvTransport,
    EvInsuranceDoc,
    EvPriceList,
    EvDiscount,
    EvQuantity,
    EvQuality,
    EvLevel,
    EvClearance,
    EvRelated,
    EvRoyalty,
    RightsHeading,
    Rights1,
    Rights2,
    Rights3,
    Rights4,
    ErrorTariffCode,
    ErrorOrigin,
    ErrorIncoterm,
    ErrorQuantity,
    ErrorUnit,
    ErrorCurrency,
    ErrorPrice,
    ErrorAmountField,
    ErrorNoRate,
    ErrorIncompatibleUnit,
    ErrorNotPositive,
    ChooseOne,
    CheckPriceHint,
    ApiTokensHeading,
    ApiTokensIntro,
    ApiTokenNameLabel,
    ApiTokenCreate,
    ApiTokenCreated,
    ApiTokenRevoke,
    ApiTokenNone,
    ApiTokenLastUsed,
    ApiTokenCreatedAt,
    ColName,
    ErrorTokenName,
    LevelWellBelow,
    LevelBelow,
    LevelUsual,
    LevelAbove,
    LevelWellAbove,
    LevelNoBand,
    AnswersHeading,
    AnswerChange,
    AnswerNone,
    CheckReasonsShort,
    SaveHeading,
    SaveIntro,
    SaveLabelLabel,
    SaveLabelHint,
    SaveButton,
    SaveSignIn,
    ErrorLabelLength,
    AssessmentsTitle,
    AssessmentsIntro,
    AssessmentsNone,
    AssessmentsTruncated,
    FilterText,
    FilterHs,
    FilterLevel,
    FilterAnyLevel,
    FilterFrom,
    FilterTo,
    FilterApply,
    ColReference,
    ColOwnLabel,
    ColSavedAt,
    ColSavedBy,
    ColTariffCode,
    ColFilingDate,
    ColLevel,
    ColCustomsValue,
    AssessmentTitle,
    AssessmentSavedFor,
    AssessmentSavedBy,
    AssessmentSavedOn,
    AssessmentAsSaved,
    AssessmentDuplicate,
    AssessmentPrint,
    AssessmentPrintHint,
    NavAssessments,
    NavBatch,
    NewCheck,
    ErrorFieldCount,
    ErrorRelatedValue,
    ErrorReasonCode,
    BatchTitle,
    BatchIntro,
    BatchColumnsRequired,
    BatchColumnsOptional,
    BatchColumnsHint,
    BatchFileLabel,
    BatchSubmit,
    BatchRecent,
    BatchNone,
    BatchFileError,
    BatchErrNotATable,
    BatchErrUnreadable,
    BatchErrEmpty,
    BatchErrMissingColumn,
    BatchErrUnknownColumn,
    BatchErrDuplicateColumn,
    BatchErrTooManyLines,
    BatchErrNoFile,
    BatchErrTooLarge,
    BatchResultTitle,
    BatchLines,
    BatchLinesWithErrors,
    BatchDownload,
    BatchPrevious,
    BatchNext,
    BatchPageOf,
    ColLine,
    ColUnitValue,
    ColPercentile,
    ColErrors,
    ColFile,
    CheckWithThisCode,
    CheckFindCode,
    CheckLiveUnitLabel,
}

/// The name of a band unit (UN/ECE code) in `lang`; other codes are shown as they are.
pub fn unit_name(lang: Lang, code: &str) -> String {
    let msg = match code {
        "KGM" => Msg::UnitKgm,
        "NIU" => Msg::UnitNiu,
        "PR" => Msg::UnitPr,
        "LTR" => Msg::UnitLtr,
        "MTK" => Msg::UnitMtk,
        "MTR" => Msg::UnitMtr,
        other => return other.to_string(),
    };
    t(lang, msg).to_string()
}

/// Translates `msg` into `lang`.
pub fn t(lang: Lang, msg: Msg) -> &'static str {
    use Lang::*;
    use Msg::*;
    match (msg, lang) {
        (ServiceName, Es) => "Valora: autoevaluación del valor en aduana",
        (ServiceName, En) => "Valora: customs value self-assessment",
        (ServiceTagline, Es) => "Servicio de la administración aduanera",
        (ServiceTagline, En) => "A customs administration service",
        (SkipToContent, Es) => "Saltar al contenido principal",
        (SkipToContent, En) => "Skip to main content",
        (LanguageSwitchLabel, Es) => "Idioma",
        (LanguageSwitchLabel, En) => "Language",
        (HomeTitle, Es) => "Compruebe el valor en aduana antes de declarar",
        (HomeTitle, En) => "Check your customs value before you declare",
        (HomeIntro1, Es) => {
            "Valora compara el valor que piensa declarar con los rangos de referencia que publica la aduana, \
             para que sepa antes de numerar la declaración si conviene reunir pruebas que lo respalden."
        }
        (HomeIntro1, En) => {
            "Valora compares the value you plan to declare with the reference ranges customs publishes, \
             so you know before you file whether to gather evidence that supports it."
        }
        (HomeIntro2, Es) => {
            "Los rangos son indicadores de riesgo, no valores mínimos: un valor fuera del rango no se rechaza \
             por ese motivo, y usted siempre puede explicar su precio."
        }
        (HomeIntro2, En) => {
            "The ranges are risk indicators, not minimum values: a value outside a range is never refused for \
             that reason, and you can always explain your price."
        }
        (JourneysHeading, Es) => "Qué puede hacer",
        (JourneysHeading, En) => "What you can do",
        (JourneyCheck, Es) => "Comprobar un valor",
        (JourneyCheck, En) => "Check a value",
        (JourneyCheckHint, Es) => "Calcule el valor en aduana y compárelo con el rango publicado.",
        (JourneyCheckHint, En) => {
            "Work out the customs value and compare it with the published range."
        }
        (JourneyBands, Es) => "Consultar rangos de referencia",
        (JourneyBands, En) => "Look up reference ranges",
        (JourneyBandsHint, Es) => {
            "Busque por partida arancelaria o por descripción, sin iniciar sesión."
        }
        (JourneyBandsHint, En) => "Search by tariff code or description, no sign-in needed.",
        (JourneySignIn, Es) => "Iniciar sesión",
        (JourneySignIn, En) => "Sign in",
        (JourneySignInHint, Es) => {
            "Guarde sus evaluaciones, adjunte pruebas y converse con la aduana."
        }
        (JourneySignInHint, En) => "Save your assessments, attach evidence and talk to customs.",
        (ComingSoon, Es) => "Próximamente",
        (ComingSoon, En) => "Coming soon",
        (EstimateHeading, Es) => "Estimación rápida del valor CIF",
        (EstimateHeading, En) => "Quick CIF value estimate",
        (EstimateIntro, Es) => {
            "Sume el precio de la factura, el flete y el seguro hasta el lugar de importación."
        }
        (EstimateIntro, En) => {
            "Add the invoice price, freight and insurance to the place of importation."
        }
        (EstimatePrice, Es) => "Precio de la factura (FOB)",
        (EstimatePrice, En) => "Invoice price (FOB)",
        (EstimatePriceHint, Es) => "En dólares estadounidenses (USD).",
        (EstimatePriceHint, En) => "In US dollars (USD).",
        (EstimateFreight, Es) => "Flete internacional",
        (EstimateFreight, En) => "International freight",
        (EstimateInsurance, Es) => "Seguro",
        (EstimateInsurance, En) => "Insurance",
        (EstimateAmountHint, Es) => "Cifras y un separador decimal, por ejemplo 1250.50",
        (EstimateAmountHint, En) => "Digits and one decimal separator, for example 1250.50",
        (EstimateSubmit, Es) => "Calcular",
        (EstimateSubmit, En) => "Calculate",
        (EstimateResult, Es) => "Valor en aduana (CIF)",
        (EstimateResult, En) => "Customs value (CIF)",
        (EstimateLiveNote, Es) => "El resultado se actualiza mientras escribe.",
        (EstimateLiveNote, En) => "The result updates as you type.",
        (ErrorSummaryTitle, Es) => "Hay un problema",
        (ErrorSummaryTitle, En) => "There is a problem",
        (ErrorAmountInvalid, Es) => "Introduzca un importe con cifras, por ejemplo 1250.50",
        (ErrorAmountInvalid, En) => "Enter an amount in figures, for example 1250.50",
        (ErrorAmountNegative, Es) => "El importe no puede ser negativo",
        (ErrorAmountNegative, En) => "The amount cannot be negative",
        (ErrorAmountTooLarge, Es) => "El importe es demasiado grande",
        (ErrorAmountTooLarge, En) => "The amount is too large",
        (ErrorAmountTooPrecise, Es) => "Use como máximo dos decimales",
        (ErrorAmountTooPrecise, En) => "Use at most two decimal places",
        (NotFoundTitle, Es) => "Página no encontrada",
        (NotFoundTitle, En) => "Page not found",
        (NotFoundBody, Es) => {
            "Si escribió la dirección, compruebe que sea correcta. Si pegó la dirección, compruebe que la copió entera."
        }
        (NotFoundBody, En) => {
            "If you typed the web address, check it is correct. If you pasted the web address, check you copied the entire address."
        }
        (NotFoundHome, Es) => "Ir a la página de inicio",
        (NotFoundHome, En) => "Go to the home page",
        (ErrorTitle, Es) => "Lo sentimos, hay un problema con el servicio",
        (ErrorTitle, En) => "Sorry, there is a problem with the service",
        (ErrorBody, Es) => "Inténtelo de nuevo más tarde. No se ha perdido ningún dato guardado.",
        (ErrorBody, En) => "Try again later. No saved data has been lost.",
        (ErrorReference, Es) => "Si contacta con la mesa de ayuda, indique esta referencia:",
        (ErrorReference, En) => "If you contact the help desk, quote this reference:",
        (FooterDisclaimer, Es) => {
            "Los rangos de referencia son indicadores de riesgo. No son precios mínimos ni sustituyen el valor de transacción."
        }
        (FooterDisclaimer, En) => {
            "Reference ranges are risk indicators. They are not minimum prices and do not replace the transaction value."
        }
        (FooterAuthority, Es) => "Servicio de autoevaluación de la administración aduanera",
        (FooterAuthority, En) => "Self-assessment service of the customs administration",
        (FeedbackQuestion, Es) => "¿Le resultó útil esta página?",
        (FeedbackQuestion, En) => "Is this page useful?",
        (FeedbackYes, Es) => "Sí",
        (FeedbackYes, En) => "Yes",
        (FeedbackNo, Es) => "No",
        (FeedbackNo, En) => "No",
        (FeedbackThanks, Es) => "Gracias por su opinión.",
        (FeedbackThanks, En) => "Thank you for your feedback.",
        (FeedbackFailed, Es) => "No se pudo registrar su opinión. Inténtelo de nuevo.",
        (FeedbackFailed, En) => "Your feedback could not be recorded. Please try again.",
        (ServerFailure, Es) => "Se produjo un error interno. Referencia:",
        (ServerFailure, En) => "An internal error occurred. Reference:",
        (RequestRefused, Es) => "Solicitud rechazada: debe enviarse desde este sitio.",
        (RequestRefused, En) => "Request refused: it must be sent from this site.",
        (NavSignIn, Es) => "Iniciar sesión",
        (NavSignIn, En) => "Sign in",
        (NavRegister, Es) => "Crear una cuenta",
        (NavRegister, En) => "Create an account",
        (NavAccount, Es) => "Su cuenta",
        (NavAccount, En) => "Your account",
        (NavSignOut, Es) => "Cerrar sesión",
        (NavSignOut, En) => "Sign out",
        (RegisterTitle, Es) => "Crear una cuenta para su organización",
        (RegisterTitle, En) => "Create an account for your organisation",
        (RegisterIntro, Es) => {
            "Registre su empresa importadora o agencia de aduanas. Usted será su administrador y podrá invitar a sus colegas."
        }
        (RegisterIntro, En) => {
            "Register your importing company or customs brokerage. You will be its administrator and can invite your colleagues."
        }
        (OrgKindLegend, Es) => "¿Qué tipo de organización registra?",
        (OrgKindLegend, En) => "What kind of organisation are you registering?",
        (OrgKindImporter, Es) => "Empresa importadora",
        (OrgKindImporter, En) => "Importing company",
        (OrgKindBroker, Es) => "Agencia de aduanas",
        (OrgKindBroker, En) => "Customs broker",
        (OrgName, Es) => "Razón social",
        (OrgName, En) => "Registered company name",
        (TaxIdLabel, Es) => "RUC",
        (TaxIdLabel, En) => "RUC (taxpayer number)",
        (TaxIdHint, Es) => "11 dígitos, por ejemplo 20131312955",
        (TaxIdHint, En) => "11 digits, for example 20131312955",
        (FullName, Es) => "Nombre completo",
        (FullName, En) => "Full name",
        (Email, Es) => "Correo electrónico",
        (Email, En) => "Email address",
        (EmailHint, Es) => "Le enviaremos un enlace para confirmarlo.",
        (EmailHint, En) => "We will send you a link to confirm it.",
        (Password, Es) => "Contraseña",
        (Password, En) => "Password",
        (PasswordHint, Es) => {
            "Entre 12 y 128 caracteres. Una frase de varias palabras es fácil de recordar y difícil de adivinar."
        }
        (PasswordHint, En) => {
            "Between 12 and 128 characters. A phrase of several words is easy to remember and hard to guess."
        }
        (RegisterSubmit, Es) => "Crear la cuenta",
        (RegisterSubmit, En) => "Create account",
        (RegisterDoneTitle, Es) => "Revise su correo",
        (RegisterDoneTitle, En) => "Check your email",
        (RegisterDoneBody, Es) => {
            "Si la dirección es correcta, recibirá un enlace para confirmarla. El enlace caduca en 24 horas."
        }
        (RegisterDoneBody, En) => {
            "If the address is correct, you will receive a link to confirm it. The link expires in 24 hours."
        }
        (ErrorRequired, Es) => "Complete este campo",
        (ErrorRequired, En) => "Fill in this field",
        (ErrorOrgKind, Es) => "Elija el tipo de organización",
        (ErrorOrgKind, En) => "Choose the kind of organisation",
        (ErrorTaxIdFormat, Es) => "Introduzca el RUC con 11 dígitos",
        (ErrorTaxIdFormat, En) => "Enter the RUC as 11 digits",
        (ErrorTaxIdCheck, Es) => "El RUC no es válido: revise los dígitos",
        (ErrorTaxIdCheck, En) => "The RUC is not valid: check the digits",
        (ErrorTaxIdTaken, Es) => {
            "Ya existe una cuenta para este RUC. Pida a su administrador que le invite."
        }
        (ErrorTaxIdTaken, En) => {
            "An account already exists for this RUC. Ask its administrator to invite you."
        }
        (ErrorEmailFormat, Es) => "Introduzca un correo electrónico válido, como nombre@empresa.pe",
        (ErrorEmailFormat, En) => "Enter a valid email address, like name@company.pe",
        (ErrorEmailTaken, Es) => {
            "Ya existe una cuenta con este correo. Inicie sesión o restablezca su contraseña."
        }
        (ErrorEmailTaken, En) => {
            "An account with this email already exists. Sign in or reset your password."
        }
        (ErrorPasswordShort, Es) => "La contraseña debe tener al menos 12 caracteres",
        (ErrorPasswordShort, En) => "The password must be at least 12 characters",
        (ErrorPasswordLong, Es) => "La contraseña puede tener como máximo 128 caracteres",
        (ErrorPasswordLong, En) => "The password can be at most 128 characters",
        (ErrorPasswordCommon, Es) => "Esa contraseña es de las más usadas: elija otra",
        (ErrorPasswordCommon, En) => "That password is one of the most used: choose another",
        (ErrorPasswordWeak, Es) => {
            "Esa contraseña es fácil de adivinar: pruebe con una frase de varias palabras"
        }
        (ErrorPasswordWeak, En) => "That password is easy to guess: try a phrase of several words",
        (ErrorTooLong, Es) => "El texto es demasiado largo",
        (ErrorTooLong, En) => "The text is too long",
        (VerifyTitle, Es) => "Confirme su correo electrónico",
        (VerifyTitle, En) => "Confirm your email address",
        (VerifyBody, Es) => "Pulse el botón para confirmar su dirección y activar la cuenta.",
        (VerifyBody, En) => "Press the button to confirm your address and activate the account.",
        (VerifySubmit, Es) => "Confirmar mi correo",
        (VerifySubmit, En) => "Confirm my email",
        (VerifyInvalid, Es) => {
            "El enlace no es válido o ha caducado. Inicie sesión para pedir uno nuevo."
        }
        (VerifyInvalid, En) => {
            "The link is not valid or has expired. Sign in to ask for a new one."
        }
        (VerifiedNotice, Es) => "Su correo está confirmado. Ya puede iniciar sesión.",
        (VerifiedNotice, En) => "Your email is confirmed. You can now sign in.",
        (SignInTitle, Es) => "Iniciar sesión",
        (SignInTitle, En) => "Sign in",
        (SignInSubmit, Es) => "Iniciar sesión",
        (SignInSubmit, En) => "Sign in",
        (SignInFailed, Es) => "El correo o la contraseña no son correctos",
        (SignInFailed, En) => "The email or password is not correct",
        (SignInThrottled, Es) => {
            "Demasiados intentos fallidos. Espere un minuto e inténtelo de nuevo."
        }
        (SignInThrottled, En) => "Too many failed attempts. Wait a minute and try again.",
        (SignInUnverified, Es) => "Confirme primero su correo con el enlace que le enviamos",
        (SignInUnverified, En) => "Confirm your email first with the link we sent you",
        (SignInNoAccount, Es) => "¿No tiene cuenta?",
        (SignInNoAccount, En) => "No account yet?",
        (AccountTitle, Es) => "Su cuenta",
        (AccountTitle, En) => "Your account",
        (AccountOrganisation, Es) => "Organización",
        (AccountOrganisation, En) => "Organisation",
        (AccountRole, Es) => "Función",
        (AccountRole, En) => "Role",
        (RoleOrgAdmin, Es) => "Administrador de la organización",
        (RoleOrgAdmin, En) => "Organisation administrator",
        (RoleTrader, Es) => "Operador de comercio",
        (RoleTrader, En) => "Trader",
        (RoleCompliance, Es) => "Cumplimiento",
        (RoleCompliance, En) => "Compliance",
        (RoleCustomsOfficer, Es) => "Funcionario de aduanas",
        (RoleCustomsOfficer, En) => "Customs officer",
        (RoleValuationAdmin, Es) => "Administrador de valoración",
        (RoleValuationAdmin, En) => "Valuation administrator",
        (SignedOutNotice, Es) => "Ha cerrado la sesión.",
        (SignedOutNotice, En) => "You have signed out.",
        (MailVerifySubject, Es) => "Confirme su correo en Valora",
        (MailVerifySubject, En) => "Confirm your email for Valora",
        (MailVerifyIntro, Es) => {
            "Para activar su cuenta de Valora, abra este enlace (caduca en 24 horas):"
        }
        (MailVerifyIntro, En) => {
            "To activate your Valora account, open this link (it expires in 24 hours):"
        }
        (MailIgnore, Es) => "Si no creó una cuenta, ignore este mensaje.",
        (MailIgnore, En) => "If you did not create an account, ignore this message.",
        (ForgotLink, Es) => "¿Olvidó su contraseña?",
        (ForgotLink, En) => "Forgotten your password?",
        (ForgotTitle, Es) => "Restablecer la contraseña",
        (ForgotTitle, En) => "Reset your password",
        (ForgotIntro, Es) => {
            "Escriba el correo de su cuenta y le enviaremos un enlace para elegir una contraseña nueva."
        }
        (ForgotIntro, En) => {
            "Enter your account's email and we will send you a link to choose a new password."
        }
        (ForgotSubmit, Es) => "Enviar el enlace",
        (ForgotSubmit, En) => "Send the link",
        (ForgotSentTitle, Es) => "Revise su correo",
        (ForgotSentTitle, En) => "Check your email",
        (ForgotSentBody, Es) => {
            "Si hay una cuenta con esa dirección, recibirá un enlace para restablecer la contraseña. El enlace caduca en una hora y solo sirve una vez."
        }
        (ForgotSentBody, En) => {
            "If there is an account with that address, you will receive a link to reset the password. The link expires in one hour and works once."
        }
        (ResetTitle, Es) => "Elija una contraseña nueva",
        (ResetTitle, En) => "Choose a new password",
        (NewPassword, Es) => "Contraseña nueva",
        (NewPassword, En) => "New password",
        (ResetSubmit, Es) => "Guardar la contraseña",
        (ResetSubmit, En) => "Save the password",
        (ResetInvalid, Es) => "El enlace no es válido o ha caducado. Pida uno nuevo.",
        (ResetInvalid, En) => "The link is not valid or has expired. Ask for a new one.",
        (ResetDoneNotice, Es) => "Su contraseña ha cambiado. Inicie sesión con la nueva.",
        (ResetDoneNotice, En) => "Your password has changed. Sign in with the new one.",
        (MailResetSubject, Es) => "Restablezca su contraseña de Valora",
        (MailResetSubject, En) => "Reset your Valora password",
        (MailResetIntro, Es) => {
            "Para elegir una contraseña nueva, abra este enlace (caduca en una hora y solo sirve una vez):"
        }
        (MailResetIntro, En) => {
            "To choose a new password, open this link (it expires in one hour and works once):"
        }
        (MailResetIgnore, Es) => {
            "Si no pidió este cambio, ignore este mensaje: su contraseña sigue siendo la misma."
        }
        (MailResetIgnore, En) => {
            "If you did not ask for this, ignore this message: your password stays the same."
        }
        (ChangePasswordTitle, Es) => "Cambiar la contraseña",
        (ChangePasswordTitle, En) => "Change your password",
        (CurrentPassword, Es) => "Contraseña actual",
        (CurrentPassword, En) => "Current password",
        (ChangePasswordSubmit, Es) => "Cambiar la contraseña",
        (ChangePasswordSubmit, En) => "Change password",
        (ChangePasswordDone, Es) => "Su contraseña ha cambiado y se cerraron sus otras sesiones.",
        (ChangePasswordDone, En) => "Your password has changed and your other sessions were ended.",
        (ErrorCurrentPassword, Es) => "La contraseña actual no es correcta",
        (ErrorCurrentPassword, En) => "The current password is not correct",
        (SessionsTitle, Es) => "Sesiones activas",
        (SessionsTitle, En) => "Active sessions",
        (SessionsStarted, Es) => "Inicio",
        (SessionsStarted, En) => "Started",
        (SessionsLastSeen, Es) => "Última actividad",
        (SessionsLastSeen, En) => "Last active",
        (SessionsDevice, Es) => "Navegador",
        (SessionsDevice, En) => "Browser",
        (SessionsThis, Es) => "Esta sesión",
        (SessionsThis, En) => "This session",
        (SessionsEnd, Es) => "Cerrar",
        (SessionsEnd, En) => "End",
        (SessionsEndLabel, Es) => "Cerrar la sesión iniciada el",
        (SessionsEndLabel, En) => "End the session started on",
        (MandatesTitle, Es) => "Mandatos a agencias de aduanas",
        (MandatesTitle, En) => "Mandates to customs brokers",
        (MandatesIntro, Es) => {
            "Una agencia con mandato puede preparar y guardar evaluaciones en nombre de su empresa. Puede revocarlo cuando quiera: surte efecto de inmediato."
        }
        (MandatesIntro, En) => {
            "A broker with a mandate can prepare and save assessments on behalf of your company. You can revoke it at any time: it takes effect at once."
        }
        (MandatesNone, Es) => "Su empresa no ha otorgado mandatos.",
        (MandatesNone, En) => "Your company has not granted any mandates.",
        (MandateBroker, Es) => "Agencia",
        (MandateBroker, En) => "Broker",
        (MandateGranted, Es) => "Otorgado",
        (MandateGranted, En) => "Granted",
        (MandateRevoke, Es) => "Revocar",
        (MandateRevoke, En) => "Revoke",
        (MandateGrantHeading, Es) => "Otorgar un mandato",
        (MandateGrantHeading, En) => "Grant a mandate",
        (MandateBrokerRuc, Es) => "RUC de la agencia de aduanas",
        (MandateBrokerRuc, En) => "The customs broker's RUC",
        (MandateGrantSubmit, Es) => "Otorgar el mandato",
        (MandateGrantSubmit, En) => "Grant the mandate",
        (ErrorBrokerUnknown, Es) => "No hay ninguna agencia de aduanas registrada con ese RUC",
        (ErrorBrokerUnknown, En) => "No customs broker is registered with that RUC",
        (ErrorMandateExists, Es) => "Esa agencia ya tiene un mandato vigente",
        (ErrorMandateExists, En) => "That broker already holds a mandate in force",
        (ErrorNotAllowed, Es) => "No tiene permiso para hacer esto",
        (ErrorNotAllowed, En) => "You do not have permission to do this",
        (ActForTitle, Es) => "Actuar en nombre de un importador",
        (ActForTitle, En) => "Act for an importer",
        (ActForIntro, Es) => {
            "Elija el importador para el que trabaja ahora. Sus acciones quedarán registradas a su nombre y al del importador."
        }
        (ActForIntro, En) => {
            "Choose the importer you are working for now. Your actions are recorded under your name and the importer's."
        }
        (ActForNone, Es) => "Ningún importador ha otorgado un mandato a su agencia.",
        (ActForNone, En) => "No importer has granted your firm a mandate.",
        (ActForChoose, Es) => "Actuar en su nombre",
        (ActForChoose, En) => "Act for them",
        (ActingFor, Es) => "Actuando en nombre de",
        (ActingFor, En) => "Acting for",
        (AccountLinks, Es) => "Gestione su cuenta",
        (AccountLinks, En) => "Manage your account",
        (ErrorSignInNeeded, Es) => "Inicie sesión para continuar",
        (ErrorSignInNeeded, En) => "Sign in to continue",
        (MembersTitle, Es) => "Personas de su organización",
        (MembersTitle, En) => "People in your organisation",
        (MembersInviteHeading, Es) => "Invitar a una persona",
        (MembersInviteHeading, En) => "Invite someone",
        (MembersInviteHint, Es) => {
            "Recibirá un enlace para elegir su contraseña (caduca en 3 días)."
        }
        (MembersInviteHint, En) => {
            "They will receive a link to choose their password (it expires in 3 days)."
        }
        (MemberRoleLegend, Es) => "Función",
        (MemberRoleLegend, En) => "Role",
        (MembersInviteSubmit, Es) => "Enviar la invitación",
        (MembersInviteSubmit, En) => "Send the invitation",
        (MembersPending, Es) => "Invitación pendiente",
        (MembersPending, En) => "Invitation pending",
        (MembersInvitedNotice, Es) => "Invitación enviada.",
        (MembersInvitedNotice, En) => "Invitation sent.",
        (ErrorRoleNotAllowed, Es) => "Elija una función de la lista",
        (ErrorRoleNotAllowed, En) => "Choose a role from the list",
        (MailInviteSubject, Es) => "Le han invitado a Valora",
        (MailInviteSubject, En) => "You have been invited to Valora",
        (MailInviteIntro, Es) => {
            "Le han dado acceso a Valora, el servicio de autoevaluación del valor en aduana. Para elegir su contraseña, abra este enlace (caduca en 3 días):"
        }
        (MailInviteIntro, En) => {
            "You have been given access to Valora, the customs value self-assessment service. To choose your password, open this link (it expires in 3 days):"
        }
        (MailInviteIgnore, Es) => "Si no esperaba esta invitación, ignore este mensaje.",
        (MailInviteIgnore, En) => "If you did not expect this invitation, ignore this message.",
        (BandsTitle, Es) => "Bandas de valores de referencia",
        (BandsTitle, En) => "Guidance value bands",
        (BandsIntro, Es) => {
            "Busque una partida arancelaria para ver el rango habitual de valores unitarios declarados y aceptados en importaciones comparables (mismo código, origen y unidad)."
        }
        (BandsIntro, En) => {
            "Look up a tariff line to see the usual range of unit values declared and accepted for comparable imports (same code, origin and unit)."
        }
        (RiskStatementLead, Es) => "Una banda es un indicador de riesgo, no un valor mínimo.",
        (RiskStatementLead, En) => "A band is a risk indicator, not a minimum value.",
        (RiskStatement, Es) => {
            "Un valor fuera de la banda no es incorrecto por sí mismo: la aduana no puede desconocer un valor declarado solo porque difiere de una base de datos (Decisión 6.1 del Comité de Valoración en Aduana de la OMC). Si la aduana tiene dudas, usted puede explicar y documentar su valor."
        }
        (RiskStatement, En) => {
            "A value outside the band is not wrong in itself: customs may not set aside a declared value only because it differs from a database (WTO Customs Valuation Committee Decision 6.1). If customs has doubts, you can explain and document your value."
        }
        (BandsSearchLabel, Es) => "Código arancelario o palabras de la descripción",
        (BandsSearchLabel, En) => "Tariff code or words of the description",
        (BandsSearchHint, Es) => {
            "Por ejemplo 0703.20, 070320 o ajos. Puede escribir en español o en inglés."
        }
        (BandsSearchHint, En) => {
            "For example 0703.20, 070320 or garlic. You can write in Spanish or English."
        }
        (BandsSearchButton, Es) => "Buscar",
        (BandsSearchButton, En) => "Search",
        (BandsResults, Es) => "Partidas encontradas",
        (BandsResults, En) => "Tariff lines found",
        (BandsNoResults, Es) => {
            "No se encontró ninguna partida. Pruebe con menos palabras o con los primeros dígitos del código."
        }
        (BandsNoResults, En) => {
            "No tariff line was found. Try fewer words or the first digits of the code."
        }
        (BandsUnreadable, Es) => "Escriba al menos dos letras o dos dígitos.",
        (BandsUnreadable, En) => "Type at least two letters or two digits.",
        (BandsBackToSearch, Es) => "Volver a la búsqueda de bandas",
        (BandsBackToSearch, En) => "Back to the band search",
        (BandsBackToLine, Es) => "Todas las bandas de esta partida",
        (BandsBackToLine, En) => "All bands for this tariff line",
        (BandsInForceOn, Es) => "Bandas vigentes al",
        (BandsInForceOn, En) => "Bands in force on",
        (LineNoBands, Es) => {
            "No hay bandas publicadas para esta partida: hubo muy pocas declaraciones comparables para calcularlas."
        }
        (LineNoBands, En) => {
            "No bands are published for this tariff line: there were too few comparable declarations to compute them."
        }
        (ColCode, Es) => "Código",
        (ColCode, En) => "Code",
        (ColDescription, Es) => "Descripción",
        (ColDescription, En) => "Description",
        (ColBandsInForce, Es) => "Bandas vigentes",
        (ColBandsInForce, En) => "Bands in force",
        (ColOrigin, Es) => "Origen",
        (ColOrigin, En) => "Origin",
        (ColUnit, Es) => "Valor unitario en",
        (ColUnit, En) => "Unit value in",
        (ColObservations, Es) => "Observaciones",
        (ColObservations, En) => "Observations",
        (ColUsualRange, Es) => "Rango habitual (P25–P75)",
        (ColUsualRange, En) => "Usual range (P25–P75)",
        (FromOrigin, Es) => "origen",
        (FromOrigin, En) => "origin",
        (UnitPer, Es) => "por",
        (UnitPer, En) => "per",
        (ChartTitle, Es) => "Distribución de los valores unitarios aceptados",
        (ChartTitle, En) => "Distribution of accepted unit values",
        (FiguresHeading, Es) => "Cifras de la banda",
        (FiguresHeading, En) => "Band figures",
        (FigP10, Es) => "Percentil 10 (P10)",
        (FigP10, En) => "10th percentile (P10)",
        (FigP25, Es) => "Percentil 25 (P25)",
        (FigP25, En) => "25th percentile (P25)",
        (FigMedian, Es) => "Mediana",
        (FigMedian, En) => "Median",
        (FigP75, Es) => "Percentil 75 (P75)",
        (FigP75, En) => "75th percentile (P75)",
        (FigP90, Es) => "Percentil 90 (P90)",
        (FigP90, En) => "90th percentile (P90)",
        (FigObservations, Es) => "Observaciones usadas",
        (FigObservations, En) => "Observations used",
        (FigTrimmed, Es) => "Valores atípicos excluidos",
        (FigTrimmed, En) => "Outliers left out",
        (FigPeriod, Es) => "Periodo de los datos",
        (FigPeriod, En) => "Period of the data",
        (FigAsOf, Es) => "Vigente al",
        (FigAsOf, En) => "In force on",
        (FigEffective, Es) => "Vigente desde",
        (FigEffective, En) => "In force from",
        (FigVersion, Es) => "versión",
        (FigVersion, En) => "version",
        (NoBandOnDate, Es) => "No había una banda publicada para esta combinación el",
        (NoBandOnDate, En) => "No band was published for this combination on",
        (AsOfLabel, Es) => "Ver la banda vigente en otra fecha",
        (AsOfLabel, En) => "See the band in force on another date",
        (AsOfButton, Es) => "Ver",
        (AsOfButton, En) => "Show",
        (DownloadCsv, Es) => "Descargar esta banda (CSV)",
        (DownloadCsv, En) => "Download this band (CSV)",
        (DownloadJson, Es) => "Datos abiertos (JSON)",
        (DownloadJson, En) => "Open data (JSON)",
        (HistoryHeading, Es) => "Historial de versiones",
        (HistoryHeading, En) => "Version history",
        (UnitKgm, Es) => "kilogramo",
        (UnitKgm, En) => "kilogram",
        (UnitNiu, Es) => "unidad",
        (UnitNiu, En) => "unit",
        (UnitPr, Es) => "par",
        (UnitPr, En) => "pair",
        (UnitLtr, Es) => "litro",
        (UnitLtr, En) => "litre",
        (UnitMtk, Es) => "metro cuadrado",
        (UnitMtk, En) => "square metre",
        (UnitMtr, Es) => "metro",
        (UnitMtr, En) => "metre",
        (RefTitle, Es) => "Datos de referencia",
        (RefTitle, En) => "Reference data",
        (RefIntro, Es) => {
            "Importe los archivos oficiales en CSV (UTF-8). Cada línea se valida; si el archivo tiene errores no se importa nada, salvo que elija omitir las líneas con errores."
        }
        (RefIntro, En) => {
            "Import the official files as CSV (UTF-8). Every line is checked; if the file has errors nothing is imported, unless you choose to skip the lines with errors."
        }
        (RefKindLabel, Es) => "Tipo de archivo",
        (RefKindLabel, En) => "Kind of file",
        (RefKindHs, Es) => "Nomenclatura del Sistema Armonizado",
        (RefKindHs, En) => "Harmonized System nomenclature",
        (RefKindTexts, Es) => "Descripciones en español e inglés y subpartidas nacionales",
        (RefKindTexts, En) => "Spanish and English descriptions and national subheadings",
        (RefKindCountries, Es) => "Países (ISO 3166)",
        (RefKindCountries, En) => "Countries (ISO 3166)",
        (RefKindCurrencies, Es) => "Monedas (ISO 4217)",
        (RefKindCurrencies, En) => "Currencies (ISO 4217)",
        (RefKindUnits, Es) => "Unidades de medida (UN/ECE Recomendación 20)",
        (RefKindUnits, En) => "Units of measure (UN/ECE Recommendation 20)",
        (RefKindRates, Es) => "Tipos de cambio oficiales",
        (RefKindRates, En) => "Official exchange rates",
        (RefKindRecords, Es) => "Registros de declaraciones (materia prima de las bandas)",
        (RefKindRecords, En) => "Declaration records (the raw material of bands)",
        (RefColumns, Es) => "Columnas",
        (RefColumns, En) => "Columns",
        (RefFileLabel, Es) => "Archivo CSV",
        (RefFileLabel, En) => "CSV file",
        (RefSkipLabel, Es) => "Omitir las líneas con errores e importar las demás",
        (RefSkipLabel, En) => "Skip the lines with errors and import the others",
        (RefImportButton, Es) => "Importar",
        (RefImportButton, En) => "Import",
        (RefResultImported, Es) => "Importación realizada",
        (RefResultImported, En) => "Import done",
        (RefResultRefused, Es) => "No se importó nada: el archivo tiene errores",
        (RefResultRefused, En) => "Nothing was imported: the file has errors",
        (RefRefusedHint, Es) => {
            "Corrija el archivo o marque «Omitir las líneas con errores» para importar solo las líneas correctas."
        }
        (RefRefusedHint, En) => {
            "Correct the file, or tick “Skip the lines with errors” to import only the correct lines."
        }
        (RefRowsLoaded, Es) => "Filas importadas",
        (RefRowsLoaded, En) => "Rows imported",
        (RefErrorCount, Es) => "Líneas con errores",
        (RefErrorCount, En) => "Lines with errors",
        (RefLine, Es) => "Línea",
        (RefLine, En) => "Line",
        (RefProblem, Es) => "Problema",
        (RefProblem, En) => "Problem",
        (RefFile, Es) => "Archivo",
        (RefFile, En) => "File",
        (RefErrorsShown, Es) => "Se muestran hasta las primeras 1000 líneas con errores.",
        (RefErrorsShown, En) => "Up to the first 1,000 lines with errors are shown.",
        (AdminBandsTitle, Es) => "Cálculo y publicación de bandas",
        (AdminBandsTitle, En) => "Band computation and publication",
        (AdminBandsIntro, Es) => {
            "Calcule un borrador con los registros de declaraciones de un periodo, revíselo frente a las bandas vigentes y publíquelo con una fecha de vigencia. Las versiones publicadas no cambian."
        }
        (AdminBandsIntro, En) => {
            "Compute a draft from the declaration records of a period, review it against the bands in force and publish it with an effective date. Published versions never change."
        }
        (ComputeHeading, Es) => "Calcular un borrador",
        (ComputeHeading, En) => "Compute a draft",
        (PeriodFromLabel, Es) => "Inicio del periodo",
        (PeriodFromLabel, En) => "Start of the period",
        (PeriodToLabel, Es) => "Fin del periodo",
        (PeriodToLabel, En) => "End of the period",
        (DateHint, Es) => "AAAA-MM-DD, por ejemplo 2026-01-31",
        (DateHint, En) => "YYYY-MM-DD, for example 2026-01-31",
        (CodeLevelLabel, Es) => "Dígitos del código arancelario",
        (CodeLevelLabel, En) => "Digits of the tariff code",
        (ComputeButton, Es) => "Calcular el borrador",
        (ComputeButton, En) => "Compute the draft",
        (RunsHeading, Es) => "Versiones calculadas",
        (RunsHeading, En) => "Computed versions",
        (ColRun, Es) => "Versión",
        (ColRun, En) => "Version",
        (ColStatus, Es) => "Estado",
        (ColStatus, En) => "Status",
        (ColBands, Es) => "Bandas",
        (ColBands, En) => "Bands",
        (ColRecords, Es) => "Registros usados",
        (ColRecords, En) => "Records used",
        (ColKeysTooFew, Es) => "Claves con pocos registros",
        (ColKeysTooFew, En) => "Keys with too few records",
        (ColComputeTime, Es) => "Tiempo de cálculo",
        (ColComputeTime, En) => "Computation time",
        (StatusDraft, Es) => "Borrador",
        (StatusDraft, En) => "Draft",
        (StatusPublished, Es) => "Publicada",
        (StatusPublished, En) => "Published",
        (StatusDiscarded, Es) => "Descartada",
        (StatusDiscarded, En) => "Discarded",
        (ReviewTitle, Es) => "Revisión de la versión",
        (ReviewTitle, En) => "Review of version",
        (ReviewIntro, Es) => {
            "Cada fila compara la banda de esta versión con la vigente hoy para la misma clave; primero las que más cambian."
        }
        (ReviewIntro, En) => {
            "Each row compares this version's band with the band in force today for the same key; the largest changes come first."
        }
        (ColCurrent, Es) => "Vigente",
        (ColCurrent, En) => "In force",
        (ColDraft, Es) => "Esta versión",
        (ColDraft, En) => "This version",
        (ColChange, Es) => "Cambio de la mediana",
        (ColChange, En) => "Change of the median",
        (BandNew, Es) => "nueva",
        (BandNew, En) => "new",
        (BandWithdrawn, Es) => "retirada",
        (BandWithdrawn, En) => "withdrawn",
        (FilterCodeLabel, Es) => "Filtrar por código",
        (FilterCodeLabel, En) => "Filter by code",
        (FilterButton, Es) => "Filtrar",
        (FilterButton, En) => "Filter",
        (NextPage, Es) => "Página siguiente",
        (NextPage, En) => "Next page",
        (PublishHeading, Es) => "Publicar esta versión",
        (PublishHeading, En) => "Publish this version",
        (EffectiveLabel, Es) => "Vigente desde",
        (EffectiveLabel, En) => "In force from",
        (PublishButton, Es) => "Publicar",
        (PublishButton, En) => "Publish",
        (DiscardButton, Es) => "Descartar el borrador",
        (DiscardButton, En) => "Discard the draft",
        (ErrorDateFormat, Es) => "Escriba la fecha como AAAA-MM-DD, por ejemplo 2026-12-01.",
        (ErrorDateFormat, En) => "Write the date as YYYY-MM-DD, for example 2026-12-01.",
        (ErrorPeriodOrder, Es) => "El fin del periodo no puede ser anterior a su inicio.",
        (ErrorPeriodOrder, En) => "The end of the period cannot be before its start.",
        (ErrorCodeLevel, Es) => "Elija 4, 6, 8 o 10 dígitos.",
        (ErrorCodeLevel, En) => "Choose 4, 6, 8 or 10 digits.",
        (ErrorEffectivePast, Es) => "La fecha de vigencia no puede ser anterior a hoy.",
        (ErrorEffectivePast, En) => "The effective date cannot be before today.",
        (ErrorEffectiveNotAfter, Es) => {
            "La fecha de vigencia debe ser posterior a la de la última versión publicada."
        }
        (ErrorEffectiveNotAfter, En) => {
            "The effective date must be after that of the latest published version."
        }
        (ErrorNotDraft, Es) => "Esta versión ya no es un borrador.",
        (ErrorNotDraft, En) => "This version is no longer a draft.",
        (AdminLinks, Es) => "Administración",
        (AdminLinks, En) => "Administration",
        (CheckTitle, Es) => "Compruebe un valor antes de declarar",
        (CheckTitle, En) => "Check a value before you declare",
        (CheckIntro, Es) => {
            "Indique lo que piensa declarar. Verá el valor en aduana, el valor unitario y su posición en la banda vigente, con las pruebas que lo respaldan. No se guarda nada."
        }
        (CheckIntro, En) => {
            "Enter what you plan to declare. You will see the customs value, the unit value and where it sits in the band in force, with the evidence that supports it. Nothing is saved."
        }
        (CheckGoodsHeading, Es) => "Mercancía",
        (CheckGoodsHeading, En) => "Goods",
        (CheckTariffLabel, Es) => "Código arancelario",
        (CheckTariffLabel, En) => "Tariff code",
        (CheckTariffHint, Es) => {
            "De 6 a 10 dígitos, con o sin puntos. Si no lo conoce, búsquelo en las bandas de valores."
        }
        (CheckTariffHint, En) => {
            "6 to 10 digits, with or without dots. If you do not know it, look it up in the value bands."
        }
        (CheckOriginLabel, Es) => "País de origen",
        (CheckOriginLabel, En) => "Country of origin",
        (CheckIncotermLabel, Es) => "Incoterm de la factura",
        (CheckIncotermLabel, En) => "Incoterm of the invoice",
        (CheckDateLabel, Es) => "Fecha prevista de numeración",
        (CheckDateLabel, En) => "Planned filing date",
        (CheckQuantityLabel, Es) => "Cantidad",
        (CheckQuantityLabel, En) => "Quantity",
        (CheckUnitLabel, Es) => "Unidad de la cantidad",
        (CheckUnitLabel, En) => "Unit of the quantity",
        (CheckPriceHeading, Es) => "Precio y gastos, en la moneda de la factura",
        (CheckPriceHeading, En) => "Price and costs, in the invoice currency",
        (CheckCurrencyLabel, Es) => "Moneda de la factura",
        (CheckCurrencyLabel, En) => "Invoice currency",
        (CheckPriceLabel, Es) => "Precio de la factura para esta línea",
        (CheckPriceLabel, En) => "Invoice price for this line",
        (CheckPreCarriageLabel, Es) => {
            "Carga y transporte hasta el lugar de exportación, si no están en el precio"
        }
        (CheckPreCarriageLabel, En) => {
            "Loading and carriage to the place of export, if not in the price"
        }
        (CheckFreightLabel, Es) => "Flete internacional hasta el lugar de importación",
        (CheckFreightLabel, En) => "International freight to the place of importation",
        (CheckInsuranceLabel, Es) => "Seguro hasta el lugar de importación",
        (CheckInsuranceLabel, En) => "Insurance to the place of importation",
        (CheckAdditionsHeading, Es) => {
            "Ajustes del artículo 8 (solo si los paga el comprador y no están en el precio)"
        }
        (CheckAdditionsHeading, En) => {
            "Article 8 adjustments (only if the buyer pays them and they are not in the price)"
        }
        (CheckCommissionsLabel, Es) => "Comisiones de venta y corretaje",
        (CheckCommissionsLabel, En) => "Selling commissions and brokerage",
        (CheckPackingLabel, Es) => "Envases y embalajes",
        (CheckPackingLabel, En) => "Containers and packing",
        (CheckAssistsLabel, Es) => "Asistencias: materiales, herramientas, moldes, diseño",
        (CheckAssistsLabel, En) => "Assists: materials, tools, moulds, design",
        (CheckRoyaltiesLabel, Es) => "Cánones y derechos de licencia",
        (CheckRoyaltiesLabel, En) => "Royalties and licence fees",
        (CheckProceedsLabel, Es) => "Reversión al vendedor de la reventa",
        (CheckProceedsLabel, En) => "Proceeds of resale to the seller",
        (CheckDeductionsLabel, Es) => "Gastos posteriores a la importación incluidos en el precio",
        (CheckDeductionsLabel, En) => "Costs after importation included in the price",
        (CheckDeductionsHint, Es) => {
            "Transporte interno, descarga en destino, montaje, derechos e impuestos: solo si figuran por separado."
        }
        (CheckDeductionsHint, En) => {
            "Inland carriage, unloading at destination, assembly, duties and taxes: only if shown separately."
        }
        (CheckAmountHint, Es) => "Deje en blanco si no aplica.",
        (CheckAmountHint, En) => "Leave blank if it does not apply.",
        (CheckRelatedLegend, Es) => "¿Están vinculados el comprador y el vendedor?",
        (CheckRelatedLegend, En) => "Are the buyer and the seller related?",
        (AnswerYes, Es) => "Sí",
        (AnswerYes, En) => "Yes",
        (AnswerNo, Es) => "No",
        (AnswerNo, En) => "No",
        (CheckReasonsLegend, Es) => {
            "Si el valor resulta bajo, ¿qué lo explica? (puede marcar varias)"
        }
        (CheckReasonsLegend, En) => "If the value is low, what explains it? (tick any)",
        (ReasonDiscount, Es) => "Descuento comercial",
        (ReasonDiscount, En) => "Trade discount",
        (ReasonQuantity, Es) => "Descuento por cantidad",
        (ReasonQuantity, En) => "Quantity discount",
        (ReasonQuality, Es) => "Calidad o especificación distinta",
        (ReasonQuality, En) => "Different quality or specification",
        (ReasonLevel, Es) => "Nivel comercial (mayorista, distribuidor)",
        (ReasonLevel, En) => "Commercial level (wholesaler, distributor)",
        (ReasonClearance, Es) => "Liquidación de existencias",
        (ReasonClearance, En) => "Clearance sale",
        (CheckSubmit, Es) => "Calcular",
        (CheckSubmit, En) => "Calculate",
        (CheckLiveLabel, Es) => "Valor en la moneda de la factura, mientras escribe",
        (CheckLiveLabel, En) => "Value in the invoice currency, as you type",
        (ResultHeading, Es) => "Resultado",
        (ResultHeading, En) => "Result",
        (VerdictWellBelow, Es) => {
            "Su valor unitario está muy por debajo del rango habitual (por debajo del percentil 10). Eso no lo hace incorrecto, pero la aduana podría pedirle que lo explique: tenga listas las pruebas de abajo."
        }
        (VerdictWellBelow, En) => {
            "Your unit value is well below the usual range (below the 10th percentile). That does not make it wrong, but customs may ask you to explain it: have the evidence below ready."
        }
        (VerdictBelow, Es) => {
            "Su valor unitario está por debajo del rango habitual (entre los percentiles 10 y 25). Conviene tener a mano las pruebas que lo explican."
        }
        (VerdictBelow, En) => {
            "Your unit value is below the usual range (between the 10th and 25th percentiles). Keep the evidence that explains it at hand."
        }
        (VerdictUsual, Es) => {
            "Su valor unitario está dentro del rango habitual (entre los percentiles 25 y 75)."
        }
        (VerdictUsual, En) => {
            "Your unit value is within the usual range (between the 25th and 75th percentiles)."
        }
        (VerdictAbove, Es) => {
            "Su valor unitario está por encima del rango habitual (entre los percentiles 75 y 90)."
        }
        (VerdictAbove, En) => {
            "Your unit value is above the usual range (between the 75th and 90th percentiles)."
        }
        (VerdictWellAbove, Es) => {
            "Su valor unitario está muy por encima del rango habitual (por encima del percentil 90). Revise la unidad, la moneda y la cantidad: un valor tan alto suele deberse a un error de digitación."
        }
        (VerdictWellAbove, En) => {
            "Your unit value is well above the usual range (above the 90th percentile). Check the unit, the currency and the quantity: a value this high is often a typing mistake."
        }
        (VerdictNoBand, Es) => {
            "No hay una banda publicada para este código, origen y unidad (muy pocas declaraciones comparables). Su valor no se puede comparar, y eso no dice nada en su contra."
        }
        (VerdictNoBand, En) => {
            "No band is published for this code, origin and unit (too few comparable declarations). Your value cannot be compared, which says nothing against it."
        }
        (ResultCustomsValue, Es) => "Valor en aduana",
        (ResultCustomsValue, En) => "Customs value",
        (ResultUnitValue, Es) => "Valor unitario",
        (ResultUnitValue, En) => "Unit value",
        (ResultPercentile, Es) => "Percentil estimado en la banda",
        (ResultPercentile, En) => "Estimated percentile in the band",
        (ResultBandUsed, Es) => "Banda usada",
        (ResultBandUsed, En) => "Band used",
        (CalcHeading, Es) => "Cómo se calculó",
        (CalcHeading, En) => "How it was calculated",
        (CalcData, Es) => "Dato",
        (CalcData, En) => "Item",
        (CalcOperation, Es) => "Cálculo",
        (CalcOperation, En) => "Calculation",
        (CalcValue, Es) => "Valor",
        (CalcValue, En) => "Value",
        (ItemPrice, Es) => "Precio de la factura",
        (ItemPrice, En) => "Invoice price",
        (ItemPreCarriage, Es) => "Carga y transporte hasta la exportación",
        (ItemPreCarriage, En) => "Carriage to the place of export",
        (ItemFreight, Es) => "Flete internacional",
        (ItemFreight, En) => "International freight",
        (ItemInsurance, Es) => "Seguro",
        (ItemInsurance, En) => "Insurance",
        (ItemCommissions, Es) => "Comisiones de venta",
        (ItemCommissions, En) => "Selling commissions",
        (ItemPacking, Es) => "Envases y embalajes",
        (ItemPacking, En) => "Containers and packing",
        (ItemAssists, Es) => "Asistencias",
        (ItemAssists, En) => "Assists",
        (ItemRoyalties, Es) => "Cánones y licencias",
        (ItemRoyalties, En) => "Royalties and licence fees",
        (ItemProceeds, Es) => "Reversión al vendedor",
        (ItemProceeds, En) => "Proceeds to the seller",
        (ItemPostImport, Es) => "Gastos posteriores a la importación",
        (ItemPostImport, En) => "Costs after importation",
        (CalcAdd, Es) => "se suma",
        (CalcAdd, En) => "added",
        (CalcSubtract, Es) => "se resta",
        (CalcSubtract, En) => "taken out",
        (CalcTotal, Es) => "Valor en la moneda de la factura",
        (CalcTotal, En) => "Value in the invoice currency",
        (CalcRate, Es) => "Tipo de cambio oficial",
        (CalcRate, En) => "Official exchange rate",
        (CalcRateOf, Es) => "publicado para el",
        (CalcRateOf, En) => "published for",
        (CalcConverted, Es) => "valor ÷ tipo de cambio, redondeado al centavo",
        (CalcConverted, En) => "value ÷ rate, rounded to the cent",
        (CalcQuantity, Es) => "Cantidad en la unidad de la banda",
        (CalcQuantity, En) => "Quantity in the band unit",
        (CalcUnitValue, Es) => "valor en aduana ÷ cantidad",
        (CalcUnitValue, En) => "customs value ÷ quantity",
        (EvidenceHeading, Es) => "Pruebas que respaldan este valor",
        (EvidenceHeading, En) => "Evidence that supports this value",
        (EvInvoice, Es) => "Factura comercial",
        (EvInvoice, En) => "Commercial invoice",
        (EvContract, Es) => "Contrato u orden de compra",
        (EvContract, En) => "Contract or purchase order",
        (EvPayment, Es) => "Prueba del pago: transferencia o mensaje SWIFT que cite la factura",
        (EvPayment, En) => "Proof of payment: bank transfer or SWIFT message quoting the invoice",
        (EvTransport, Es) => "Documento de transporte y factura del flete",
        (EvTransport, En) => "Transport document and freight invoice",
        (EvInsuranceDoc, Es) => "Certificado de seguro",
        (EvInsuranceDoc, En) => "Insurance certificate",
        (EvPriceList, Es) => "Listas de precios o catálogos del proveedor",
        (EvPriceList, En) => "Supplier price lists or catalogues",
        (EvDiscount, Es) => "Carta del proveedor que explique el descuento y sus condiciones",
        (EvDiscount, En) => "A letter from the supplier explaining the discount and its terms",
        (EvQuantity, Es) => "Pedidos y escalas de precios por volumen",
        (EvQuantity, En) => "Orders and volume price scales",
        (EvQuality, Es) => "Fichas técnicas o certificados de la calidad o especificación",
        (EvQuality, En) => "Technical sheets or certificates of the quality or specification",
        (EvLevel, Es) => "Prueba del nivel comercial, como un contrato de distribución",
        (EvLevel, En) => "Proof of the commercial level, such as a distribution contract",
        (EvClearance, Es) => {
            "Prueba de la liquidación: anuncio, antigüedad del inventario, correspondencia"
        }
        (EvClearance, En) => {
            "Proof of the clearance: announcement, age of the stock, correspondence"
        }
        (EvRelated, Es) => {
            "Documentación de precios de transferencia (guía de la OMA sobre valoración y precios de transferencia)"
        }
        (EvRelated, En) => {
            "Transfer-pricing documentation (WCO guide on customs valuation and transfer pricing)"
        }
        (EvRoyalty, Es) => "Contrato de licencia o de cánones",
        (EvRoyalty, En) => "Licence or royalty agreement",
        (RightsHeading, Es) => "Sus derechos si la aduana duda del valor",
        (RightsHeading, En) => "Your rights if customs doubts the value",
        (Rights1, Es) => {
            "La aduana debe pedirle primero una explicación y documentos; un valor no se desconoce solo porque difiera de una banda (Decisión 6.1 de la OMC)."
        }
        (Rights1, En) => {
            "Customs must first ask you for an explanation and documents; a value is not set aside only because it differs from a band (WTO Decision 6.1)."
        }
        (Rights2, Es) => {
            "Responda dentro del plazo: en el Perú las pruebas presentadas tarde no se consideran."
        }
        (Rights2, En) => "Answer within the deadline: in Peru, late evidence carries no weight.",
        (Rights3, Es) => "Puede pedir por escrito los motivos de la duda.",
        (Rights3, En) => "You may ask for the grounds of the doubt in writing.",
        (Rights4, Es) => "Puede retirar las mercancías con una garantía mientras se resuelve.",
        (Rights4, En) => "You may have the goods released against a guarantee meanwhile.",
        (ErrorTariffCode, Es) => "Escriba un código arancelario de 6 a 10 dígitos",
        (ErrorTariffCode, En) => "Enter a tariff code of 6 to 10 digits",
        (ErrorOrigin, Es) => "Elija el país de origen",
        (ErrorOrigin, En) => "Choose the country of origin",
        (ErrorIncoterm, Es) => "Elija el Incoterm",
        (ErrorIncoterm, En) => "Choose the Incoterm",
        (ErrorQuantity, Es) => "Escriba una cantidad mayor que cero, por ejemplo 1250,5",
        (ErrorQuantity, En) => "Enter a quantity greater than zero, for example 1250.5",
        (ErrorUnit, Es) => "Elija la unidad de la cantidad",
        (ErrorUnit, En) => "Choose the unit of the quantity",
        (ErrorCurrency, Es) => "Elija la moneda de la factura",
        (ErrorCurrency, En) => "Choose the invoice currency",
        (ErrorPrice, Es) => "Escriba el precio de la factura, mayor que cero, por ejemplo 1250,50",
        (ErrorPrice, En) => "Enter the invoice price, greater than zero, for example 1250.50",
        (ErrorAmountField, Es) => "Escriba un importe, por ejemplo 1250,50, o déjelo en blanco",
        (ErrorAmountField, En) => "Enter an amount, for example 1250.50, or leave it blank",
        (ErrorNoRate, Es) => {
            "No hay un tipo de cambio oficial de esa moneda para esa fecha: el cálculo no supone ninguno."
        }
        (ErrorNoRate, En) => {
            "There is no official rate for that currency on that date: the calculation does not guess one."
        }
        (ErrorIncompatibleUnit, Es) => {
            "Esta unidad no se puede convertir a la unidad de la banda (por ejemplo, litros a kilogramos)"
        }
        (ErrorIncompatibleUnit, En) => {
            "This unit cannot be converted to the band's unit (for example, litres to kilograms)"
        }
        (ErrorNotPositive, Es) => {
            "Lo que se resta supera el precio: el valor no puede ser cero o negativo"
        }
        (ErrorNotPositive, En) => {
            "What is taken out exceeds the price: the value cannot be zero or negative"
        }
        (ChooseOne, Es) => "Elija una opción",
        (ChooseOne, En) => "Choose one",
        (CheckPriceHint, Es) => "El total de esta línea, como figura en la factura.",
        (CheckPriceHint, En) => "The total of this line, as shown on the invoice.",
        (ApiTokensHeading, Es) => "Claves de API",
        (ApiTokensHeading, En) => "API tokens",
        (ApiTokensIntro, Es) => {
            "Los sistemas de su organización pueden enviar comprobaciones a POST /api/v1/checks con una clave. Cualquier persona de la organización puede revocarla; deja de funcionar al instante."
        }
        (ApiTokensIntro, En) => {
            "Your organisation's systems can send checks to POST /api/v1/checks with a token. Anyone in the organisation can revoke it; it stops working at once."
        }
        (ApiTokenNameLabel, Es) => "Nombre de la clave, por ejemplo «sistema ERP»",
        (ApiTokenNameLabel, En) => "Name of the token, for example “ERP system”",
        (ApiTokenCreate, Es) => "Crear una clave",
        (ApiTokenCreate, En) => "Create a token",
        (ApiTokenCreated, Es) => "Copie esta clave ahora: no se volverá a mostrar.",
        (ApiTokenCreated, En) => "Copy this token now: it will not be shown again.",
        (ApiTokenRevoke, Es) => "Revocar",
        (ApiTokenRevoke, En) => "Revoke",
        (ApiTokenNone, Es) => "No hay claves activas.",
        (ApiTokenNone, En) => "There are no active tokens.",
        (ApiTokenLastUsed, Es) => "Último uso",
        (ApiTokenLastUsed, En) => "Last used",
        (ApiTokenCreatedAt, Es) => "Creada",
        (ApiTokenCreatedAt, En) => "Created",
        (ColName, Es) => "Nombre",
        (ColName, En) => "Name",
        (ErrorTokenName, Es) => "Escriba un nombre de 1 a 80 caracteres",
        (ErrorTokenName, En) => "Enter a name of 1 to 80 characters",
        (LevelWellBelow, Es) => "Muy por debajo",
        (LevelWellBelow, En) => "Well below",
        (LevelBelow, Es) => "Por debajo",
        (LevelBelow, En) => "Below",
        (LevelUsual, Es) => "Habitual",
        (LevelUsual, En) => "Usual",
        (LevelAbove, Es) => "Por encima",
        (LevelAbove, En) => "Above",
        (LevelWellAbove, Es) => "Muy por encima",
        (LevelWellAbove, En) => "Well above",
        (LevelNoBand, Es) => "Sin banda",
        (LevelNoBand, En) => "No band",
        (AnswersHeading, Es) => "Sus respuestas",
        (AnswersHeading, En) => "Your answers",
        (AnswerChange, Es) => "Cambiar",
        (AnswerChange, En) => "Change",
        (AnswerNone, Es) => "Ninguno",
        (AnswerNone, En) => "None",
        (CheckReasonsShort, Es) => "Motivos de un valor bajo",
        (CheckReasonsShort, En) => "Reasons for a low value",
        (SaveHeading, Es) => "Guardar esta evaluación",
        (SaveHeading, En) => "Save this assessment",
        (SaveIntro, Es) => {
            "Se guarda con una referencia que puede leer por teléfono, bajo la organización para la que trabaja. Solo su organización la ve."
        }
        (SaveIntro, En) => {
            "It is saved with a reference you can read out over the phone, under the organisation you work for. Only your organisation sees it."
        }
        (SaveLabelLabel, Es) => "Su referencia (opcional)",
        (SaveLabelLabel, En) => "Your own reference (optional)",
        (SaveLabelHint, Es) => "Por ejemplo, el número de factura o de pedido",
        (SaveLabelHint, En) => "For example, the invoice or order number",
        (SaveButton, Es) => "Guardar la evaluación",
        (SaveButton, En) => "Save the assessment",
        (SaveSignIn, Es) => "Inicie sesión para guardar sus evaluaciones.",
        (SaveSignIn, En) => "Sign in to save your assessments.",
        (ErrorLabelLength, Es) => "Escriba como máximo 120 caracteres",
        (ErrorLabelLength, En) => "Enter at most 120 characters",
        (AssessmentsTitle, Es) => "Evaluaciones guardadas",
        (AssessmentsTitle, En) => "Saved assessments",
        (AssessmentsIntro, Es) => "Evaluaciones guardadas para",
        (AssessmentsIntro, En) => "Assessments saved for",
        (AssessmentsNone, Es) => "No hay evaluaciones que coincidan.",
        (AssessmentsNone, En) => "No assessments match.",
        (AssessmentsTruncated, Es) => {
            "Se muestran las 200 más recientes; precise los filtros para ver otras."
        }
        (AssessmentsTruncated, En) => {
            "The 200 most recent are shown; narrow the filters to see others."
        }
        (FilterText, Es) => "Referencia o su referencia",
        (FilterText, En) => "Reference or your own reference",
        (FilterHs, Es) => "Código arancelario (inicio)",
        (FilterHs, En) => "Tariff code (start)",
        (FilterLevel, Es) => "Posición",
        (FilterLevel, En) => "Position",
        (FilterAnyLevel, Es) => "Cualquiera",
        (FilterAnyLevel, En) => "Any",
        (FilterFrom, Es) => "Guardada desde",
        (FilterFrom, En) => "Saved from",
        (FilterTo, Es) => "Guardada hasta",
        (FilterTo, En) => "Saved to",
        (FilterApply, Es) => "Filtrar",
        (FilterApply, En) => "Filter",
        (ColReference, Es) => "Referencia",
        (ColReference, En) => "Reference",
        (ColOwnLabel, Es) => "Su referencia",
        (ColOwnLabel, En) => "Your reference",
        (ColSavedAt, Es) => "Guardada",
        (ColSavedAt, En) => "Saved",
        (ColSavedBy, Es) => "Por",
        (ColSavedBy, En) => "By",
        (ColTariffCode, Es) => "Código",
        (ColTariffCode, En) => "Code",
        (ColFilingDate, Es) => "Fecha de numeración",
        (ColFilingDate, En) => "Filing date",
        (ColLevel, Es) => "Posición",
        (ColLevel, En) => "Position",
        (ColCustomsValue, Es) => "Valor en aduana",
        (ColCustomsValue, En) => "Customs value",
        (AssessmentTitle, Es) => "Evaluación",
        (AssessmentTitle, En) => "Assessment",
        (AssessmentSavedFor, Es) => "Guardada para",
        (AssessmentSavedFor, En) => "Saved for",
        (AssessmentSavedBy, Es) => "Guardada por",
        (AssessmentSavedBy, En) => "Saved by",
        (AssessmentSavedOn, Es) => "Guardada el",
        (AssessmentSavedOn, En) => "Saved on",
        (AssessmentAsSaved, Es) => {
            "Resultado tal como se calculó al guardar, con las bandas vigentes entonces."
        }
        (AssessmentAsSaved, En) => {
            "The result as computed when saved, with the bands in force then."
        }
        (AssessmentDuplicate, Es) => "Duplicar en una nueva evaluación",
        (AssessmentDuplicate, En) => "Duplicate into a new check",
        (AssessmentPrint, Es) => "Imprimir",
        (AssessmentPrint, En) => "Print",
        (AssessmentPrintHint, Es) => {
            "Para imprimir, use la orden Imprimir de su navegador; la página se ajusta a A4."
        }
        (AssessmentPrintHint, En) => {
            "To print, use your browser's Print command; the page fits A4."
        }
        (NavAssessments, Es) => "Evaluaciones guardadas",
        (NavAssessments, En) => "Saved assessments",
        (NavBatch, Es) => "Evaluar una factura completa",
        (NavBatch, En) => "Check a whole invoice",
        (NewCheck, Es) => "Nueva evaluación",
        (NewCheck, En) => "New check",
        (ErrorFieldCount, Es) => "La línea no tiene el mismo número de columnas que la cabecera",
        (ErrorFieldCount, En) => "The line does not have as many columns as the header",
        (ErrorRelatedValue, Es) => "Escriba «sí» o «no» en la columna related",
        (ErrorRelatedValue, En) => "Enter yes or no in the related column",
        (ErrorReasonCode, Es) => {
            "Use los códigos discount, quantity, quality, commercial_level o clearance, separados por punto y coma"
        }
        (ErrorReasonCode, En) => {
            "Use the codes discount, quantity, quality, commercial_level or clearance, separated by semicolons"
        }
        (BatchTitle, Es) => "Evaluar una factura completa",
        (BatchTitle, En) => "Check a whole invoice",
        (BatchIntro, Es) => {
            "Suba la factura en CSV o XLSX (hasta 10 000 líneas, una línea por fila). Cada línea pasa por la misma evaluación que el formulario; las líneas con errores se señalan con su número y no impiden evaluar las demás."
        }
        (BatchIntro, En) => {
            "Upload the invoice as CSV or XLSX (up to 10,000 lines, one line per row). Each line goes through the same check as the form; lines with errors are shown with their number and do not stop the others."
        }
        (BatchColumnsRequired, Es) => "Columnas obligatorias",
        (BatchColumnsRequired, En) => "Required columns",
        (BatchColumnsOptional, Es) => "Columnas opcionales",
        (BatchColumnsOptional, En) => "Optional columns",
        (BatchColumnsHint, Es) => {
            "Importes con punto o coma decimal; fecha AAAA-MM-DD; related: sí o no; reasons: códigos separados por punto y coma."
        }
        (BatchColumnsHint, En) => {
            "Amounts with a decimal point or comma; date YYYY-MM-DD; related: yes or no; reasons: codes separated by semicolons."
        }
        (BatchFileLabel, Es) => "Archivo de la factura (CSV o XLSX)",
        (BatchFileLabel, En) => "Invoice file (CSV or XLSX)",
        (BatchSubmit, Es) => "Evaluar las líneas",
        (BatchSubmit, En) => "Check the lines",
        (BatchRecent, Es) => "Evaluaciones por lotes recientes",
        (BatchRecent, En) => "Recent batch checks",
        (BatchNone, Es) => "Todavía no hay evaluaciones por lotes.",
        (BatchNone, En) => "No batch checks yet.",
        (BatchFileError, Es) => "No se evaluó el archivo y no se guardó nada",
        (BatchFileError, En) => "The file was not checked and nothing was saved",
        (BatchErrNotATable, Es) => "El archivo no es un CSV ni un libro XLSX.",
        (BatchErrNotATable, En) => "The file is neither a CSV nor an XLSX workbook.",
        (BatchErrUnreadable, Es) => {
            "No se pudo leer el archivo (¿texto que no es UTF-8 o un libro dañado?), en la línea"
        }
        (BatchErrUnreadable, En) => {
            "The file could not be read (text that is not UTF-8, or a damaged workbook?), at line"
        }
        (BatchErrEmpty, Es) => "El archivo no tiene cabecera o no tiene líneas.",
        (BatchErrEmpty, En) => "The file has no header row or no lines.",
        (BatchErrMissingColumn, Es) => "Falta la columna obligatoria",
        (BatchErrMissingColumn, En) => "The required column is missing:",
        (BatchErrUnknownColumn, Es) => "La cabecera tiene una columna desconocida",
        (BatchErrUnknownColumn, En) => "The header has an unknown column:",
        (BatchErrDuplicateColumn, Es) => "La cabecera repite la columna",
        (BatchErrDuplicateColumn, En) => "The header repeats the column",
        (BatchErrTooManyLines, Es) => "El archivo tiene más de 10 000 líneas; divídalo. Líneas:",
        (BatchErrTooManyLines, En) => "The file has more than 10,000 lines; split it. Lines:",
        (BatchErrNoFile, Es) => "Elija un archivo.",
        (BatchErrNoFile, En) => "Choose a file.",
        (BatchErrTooLarge, Es) => "El archivo es demasiado grande.",
        (BatchErrTooLarge, En) => "The file is too large.",
        (BatchResultTitle, Es) => "Evaluación por lotes",
        (BatchResultTitle, En) => "Batch check",
        (BatchLines, Es) => "Líneas",
        (BatchLines, En) => "Lines",
        (BatchLinesWithErrors, Es) => "Líneas con errores",
        (BatchLinesWithErrors, En) => "Lines with errors",
        (BatchDownload, Es) => "Descargar los resultados (CSV)",
        (BatchDownload, En) => "Download the results (CSV)",
        (BatchPrevious, Es) => "Anterior",
        (BatchPrevious, En) => "Previous",
        (BatchNext, Es) => "Siguiente",
        (BatchNext, En) => "Next",
        (BatchPageOf, Es) => "Página",
        (BatchPageOf, En) => "Page",
        (ColLine, Es) => "Línea",
        (ColLine, En) => "Line",
        (ColUnitValue, Es) => "Valor unitario",
        (ColUnitValue, En) => "Unit value",
        (ColPercentile, Es) => "Percentil",
        (ColPercentile, En) => "Percentile",
        (ColErrors, Es) => "Errores",
        (ColErrors, En) => "Errors",
        (ColFile, Es) => "Archivo",
        (ColFile, En) => "File",
        (CheckWithThisCode, Es) => "Evaluar un valor con este código",
        (CheckWithThisCode, En) => "Check a value under this code",
        (CheckFindCode, Es) => "¿No conoce el código? Búsquelo por palabras o por código",
        (CheckFindCode, En) => "Not sure of the code? Find it by words or by code",
        (CheckLiveUnitLabel, Es) => "Por unidad declarada, en la moneda de la factura",
        (CheckLiveUnitLabel, En) => "Per declared unit, in the invoice currency",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_language_codes_with_regions_and_case() {
        assert_eq!(Lang::parse("es-PE"), Some(Lang::Es));
        assert_eq!(Lang::parse("EN"), Some(Lang::En));
        assert_eq!(Lang::parse("en_GB"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::parse(""), None);
    }

    #[test]
    fn spanish_is_the_default_and_strings_differ_by_language() {
        assert_eq!(Lang::default(), Lang::Es);
        assert_ne!(t(Lang::Es, Msg::HomeTitle), t(Lang::En, Msg::HomeTitle));
        assert_eq!(Lang::Es.other(), Lang::En);
    }
}
