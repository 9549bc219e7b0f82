package org.vigie.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/** Issue 12 §1 and §9: sign-in through the API's login, a wrong password refused, a revoked session ended. */
@ExtendWith(World.Resolver.class)
class SignInIT {

    @Test
    void aWrongPasswordIsRefusedAndTheRightOneOpensTheWallWithTheOperatorsNameAndRole(World world) throws Exception {
        Client c = new Client(world).fresh("#/");
        c.signIn(World.AGENT, "not-the-password");
        Await.until("the refusal", Duration.ofSeconds(15),
                () -> !c.driver.findElement(By.id("signin-error")).getText().isBlank());
        assertThat(c.driver.findElement(By.id("signin-error")).getText()).contains("incorrect");
        assertThat(c.driver.findElements(By.cssSelector(".tile"))).isEmpty();
        assertThat(c.js("return sessionStorage.getItem('vigie.token')")).isNull();

        c.screenshot("signin");
        c.signIn(World.AGENT, World.AGENT_PASSWORD);
        c.awaitWall();
        assertThat(c.driver.findElement(By.id("user")).getText()).contains(World.AGENT).contains("opérateur");
        assertThat(c.js("return sessionStorage.getItem('vigie.token')")).asString().startsWith("vt_");
        assertThat(c.js("return localStorage.getItem('vigie.token')")).as("the token is kept for the tab only").isNull();

        c.button("signout").click();
        Await.until("the sign-in page again", Duration.ofSeconds(10),
                () -> !c.driver.findElements(By.name("username")).isEmpty());
        assertThat(c.driver.findElement(By.id("signin-error")).getText()).contains("déconnecté");
    }

    @Test
    void aRevokedSessionReturnsToTheSignInPageWithTheReason(World world) throws Exception {
        Client c = new Client(world).signInAsAdmin("#/wall?layout=1&cameras=cam-01");
        String token = (String) c.js("return sessionStorage.getItem('vigie.token')");
        world.api("POST", "/api/v1/auth/logout", null, token); // revoked elsewhere (an administrator, another tab)
        Await.until("the sign-in page with the reason", Duration.ofSeconds(30),
                () -> !c.driver.findElements(By.id("signin-error")).isEmpty()
                        && c.driver.findElement(By.id("signin-error")).getText().contains("plus valide"));
        assertThat(c.js("return sessionStorage.getItem('vigie.token')")).isNull();
    }
}
