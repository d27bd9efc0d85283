"""The first versions of the two questionnaires (SPEC C8), each question with a
standard and a plain-language (selkokieli) text; answers are on a 1–5 scale.

The functional-capacity items follow the areas the North Karelia working group
assessed at the work environment (seed 003): self-direction, changes, routines,
learning from instructions, working independently, co-operation, coping, punctuality.
These texts seed version 1; a changed questionnaire is a new version.
"""

from django.utils.translation import gettext_lazy as _

from polku.reports.models import QuestionnaireKind

SCALE = (1, 2, 3, 4, 5)

TITLES = {
    QuestionnaireKind.FEEDBACK: _("Asiakaspalaute"),
    QuestionnaireKind.CAPACITY: _("Työ- ja toimintakyvyn mittari"),
}

QUESTIONS = {
    QuestionnaireKind.FEEDBACK: [
        {
            "key": "heard",
            "text": _("Tulin kuulluksi ja asioitani käsiteltiin kunnioittavasti."),
            "plain": _("Minua kuunneltiin."),
        },
        {
            "key": "useful",
            "text": _("Palvelusta oli minulle hyötyä."),
            "plain": _("Sain apua."),
        },
        {
            "key": "information",
            "text": _("Sain riittävästi tietoa palveluista ja seuraavista askelista."),
            "plain": _("Tiedän, mitä seuraavaksi tapahtuu."),
        },
        {
            "key": "recommend",
            "text": _("Suosittelisin palvelua muille."),
            "plain": _("Kertoisin palvelusta ystävälle."),
        },
    ],
    QuestionnaireKind.CAPACITY: [
        {
            "key": "self_direction",
            "text": _("Pystyn ohjaamaan omaa toimintaani työtehtävissä."),
            "plain": _("Osaan aloittaa ja tehdä työn itse."),
        },
        {
            "key": "changes",
            "text": _("Selviydyn muutostilanteista työpäivän aikana."),
            "plain": _("Pärjään, kun asiat muuttuvat."),
        },
        {
            "key": "routines",
            "text": _("Pystyn noudattamaan työpäivän rutiineja ja järjestystä."),
            "plain": _("Teen asiat oikeassa järjestyksessä."),
        },
        {
            "key": "instructions",
            "text": _("Opin uusia tehtäviä ohjeiden avulla."),
            "plain": _("Opin uusia asioita ohjeista."),
        },
        {
            "key": "independence",
            "text": _("Pystyn työskentelemään itsenäisesti ohjauksen jälkeen."),
            "plain": _("Osaan tehdä työn yksin, kun minua on neuvottu."),
        },
        {
            "key": "cooperation",
            "text": _("Toimin yhteistyössä työkavereiden ja ohjaajan kanssa."),
            "plain": _("Teen työtä yhdessä muiden kanssa."),
        },
        {
            "key": "coping",
            "text": _("Jaksan työpäivän ilman kohtuutonta väsymystä."),
            "plain": _("Jaksan koko työpäivän."),
        },
        {
            "key": "punctuality",
            "text": _("Tulen paikalle sovittuun aikaan ja ilmoitan poissaoloista."),
            "plain": _("Tulen ajoissa. Kerron, jos en pääse."),
        },
    ],
}
