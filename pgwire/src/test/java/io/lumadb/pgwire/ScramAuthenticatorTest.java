package io.lumadb.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class ScramAuthenticatorTest {
  @Test
  void rfc7677WorkedExample() {
    byte[] salt = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
    ScramAuthenticator.Verifier v = ScramAuthenticator.Verifier.fromPassword("pencil", salt, 4096);
    ScramAuthenticator a = new ScramAuthenticator(v, "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");
    assertEquals("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
        a.first("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"));
    assertEquals("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", a.fin(
        "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="));
  }

  @Test
  void wrongProofIsRefusedAndVerifiersRoundTrip() {
    byte[] salt = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
    ScramAuthenticator.Verifier v = ScramAuthenticator.Verifier.fromPassword("other", salt, 4096);
    ScramAuthenticator a = new ScramAuthenticator(v, "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");
    a.first("n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
    assertNull(a.fin(
        "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="));
    String text = v.format();
    ScramAuthenticator.Verifier back = ScramAuthenticator.Verifier.parse(text);
    assertEquals(text, back.format());
  }
}
