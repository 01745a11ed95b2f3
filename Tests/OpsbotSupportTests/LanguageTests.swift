import Foundation
import OpsbotSupport
import Testing

/// Plural forms, durations, dates and amounts as Russian writes them (issue 22).
struct LanguageTests {
    /// The CLDR rule, written independently from the digits of the number as text.
    static func expectedForm(_ n: Int) -> Plural.RussianForm {
        let digits = String(n)
        let last = digits.suffix(1), lastTwo = digits.count >= 2 ? String(digits.suffix(2)) : "0" + digits
        if ["11", "12", "13", "14"].contains(lastTwo) { return .many }
        if last == "1" { return .one }
        if ["2", "3", "4"].contains(last) { return .few }
        return .many
    }

    @Test func russianPluralFormsFollowCLDRFrom0To200AndPast1000() {
        let numbers = Array(0...200) + Array(1000...1230) + [10_001, 10_011, 10_021, 100_004, 1_000_000, 2_000_012]
        for n in numbers { #expect(Plural.russianForm(n) == Self.expectedForm(n), "n = \(n)") }
        // Pinned by hand: the forms the issue names and the teens that trip naive rules.
        #expect(Plural.ru(1, "платёж", "платежа", "платежей") == "1 платёж")
        #expect(Plural.ru(2, "платёж", "платежа", "платежей") == "2 платежа")
        #expect(Plural.ru(5, "платёж", "платежа", "платежей") == "5 платежей")
        #expect(Plural.ru(11, "платёж", "платежа", "платежей") == "11 платежей")
        #expect(Plural.ru(21, "минута", "минуты", "минут") == "21 минута")
        #expect(Plural.ru(22, "минута", "минуты", "минут") == "22 минуты")
        #expect(Plural.ru(25, "минута", "минуты", "минут") == "25 минут")
        #expect(Plural.ru(111, "минута", "минуты", "минут") == "111 минут")
        #expect(Plural.ru(112, "минута", "минуты", "минут") == "112 минут")
        #expect(Plural.ru(1001, "минута", "минуты", "минут") == "1001 минута")
        #expect(Plural.ru(1013, "минута", "минуты", "минут") == "1013 минут")
        #expect(Plural.ru(1024, "минута", "минуты", "минут") == "1024 минуты")
        #expect(Plural.en(1, "payment") == "1 payment")
        #expect(Plural.en(0, "payment") == "0 payments")
        #expect(Plural.en(2, "entry", "entries") == "2 entries")
    }

    @Test func durationsAndAgo() {
        #expect(LocalFormat.duration(8100, .ru) == "2 ч 15 мин")
        #expect(LocalFormat.ago(8100, .ru) == "2 ч 15 мин назад")
        #expect(LocalFormat.ago(8100, .en) == "2 h 15 min ago")
        #expect(LocalFormat.within(3 * 3600, .ru) == "через 3 ч")
        #expect(LocalFormat.duration(42, .ru) == "42 с")
        #expect(LocalFormat.duration(2 * 86400 + 4 * 3600, .ru) == "2 д 4 ч")
        #expect(LocalFormat.duration(8100, .en) == Durations.format(8100))
    }

    @Test func datesInRussianAndEnglish() {
        // 2026-12-07 14:03:00 UTC
        let t = 1_796_652_180.0
        #expect(LocalFormat.dateTime(epoch: t, utc: true, .ru) == "7 дек 14:03")
        #expect(LocalFormat.dateTime(epoch: t, utc: true, .en) == "7 Dec 14:03")
        #expect(LocalFormat.day(epoch: t, utc: true, .ru) == "7 дек")
        #expect(LocalFormat.clock(epoch: t, utc: true) == "14:03")
    }

    @Test func amountsAndNumbers() {
        #expect(LocalFormat.money(549, currency: "RUB", .ru) == "549,00 ₽")
        #expect(LocalFormat.money(549, currency: "RUB", .en) == "549.00 RUB")
        #expect(LocalFormat.money("1250.5", currency: "RUB", .ru) == "1250,50 ₽")
        #expect(LocalFormat.money("12.30", currency: "USDT", .ru) == "12,30 USDT")
        #expect(LocalFormat.money("n/a", currency: "RUB", .ru) == "n/a RUB")
        #expect(LocalFormat.number(12.54, decimals: 1, .ru) == "12,5")
        #expect(LocalFormat.number(12.56, decimals: 1, .en) == "12.6")
        #expect(LocalFormat.number(-0.04, decimals: 1, .en) == "0.0")
    }

    @Test func telegramLanguageCodes() {
        #expect(Language(telegramCode: "ru") == .ru)
        #expect(Language(telegramCode: "ru-RU") == .ru)
        #expect(Language(telegramCode: "uk") == .en)
        #expect(Language(telegramCode: nil) == .en)
        #expect(LanguageSetting.auto.resolve(telegramCode: "ru") == .ru)
        #expect(LanguageSetting.auto.resolve(telegramCode: "de") == .en)
        #expect(LanguageSetting.ru.resolve(telegramCode: "en") == .ru)
        #expect(LanguageSetting.en.resolve(telegramCode: "ru") == .en)
    }

    @Test func currentLanguageFollowsTheTask() async {
        #expect(Language.current == .en)
        let inside = await Language.$current.withValue(.ru) { () async -> Language in
            async let child = Language.current   // child tasks inherit it
            return await child
        }
        #expect(inside == .ru)
        #expect(Language.current == .en)
    }
}
